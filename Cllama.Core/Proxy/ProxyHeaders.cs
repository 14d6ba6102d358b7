using Cllama.Http;

namespace Cllama.Proxy;

/// <summary>Which headers cross the proxy, in each direction.</summary>
static class ProxyHeaders
{
    /// <summary>
    /// Hop-by-hop (RFC 9110 §7.6.1) plus what the proxy owns: the agent's credentials, framing, Host, and
    /// Accept-Encoding (so upstream answers in a form the usage tap can read).
    /// </summary>
    static readonly HashSet<string> s_notForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "host", "connection", "keep-alive", "proxy-connection", "proxy-authorization", "proxy-authenticate", "te",
        "trailer", "transfer-encoding", "upgrade", "content-length", "expect", "authorization", "x-api-key",
        "api-key", "accept-encoding", "cookie", "forwarded", "x-forwarded-for", "x-real-ip",
    };

    static readonly HashSet<string> s_notReturned = new(StringComparer.OrdinalIgnoreCase)
    {
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "te", "trailer", "transfer-encoding",
        "upgrade", "content-length", "set-cookie", "date", "server", "alt-svc",
    };

    /// <summary>Copies the client's headers onto the upstream request, dropping any that carry the agent's credential.</summary>
    public static void CopyToUpstream(Cllama.Http.HttpHeaders client, HttpRequestMessage upstream, string agentCredential)
    {
        var connectionTokens = ConnectionTokens(client.Get(KnownHeaders.Connection));
        foreach (var (name, value) in client)
        {
            if (s_notForwarded.Contains(name) || connectionTokens.Contains(name))
                continue;
            if (agentCredential.Length > 0 && value.Contains(agentCredential, StringComparison.Ordinal))
                continue;
            if (name == KnownHeaders.ContentType)
                continue; // travels on the content
            upstream.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>Upstream response headers the client should see (framing is the proxy's own).</summary>
    public static List<KeyValuePair<string, string>> FromUpstream(HttpResponseMessage response, bool dropContentEncoding)
    {
        var list = new List<KeyValuePair<string, string>>(16);
        Add(list, response.Headers, dropContentEncoding);
        Add(list, response.Content.Headers, dropContentEncoding);
        return list;
    }

    static void Add(List<KeyValuePair<string, string>> list, System.Net.Http.Headers.HttpHeaders headers, bool dropContentEncoding)
    {
        foreach (var header in headers.NonValidated)
        {
            if (s_notReturned.Contains(header.Key))
                continue;
            if (dropContentEncoding && header.Key.Equals("content-encoding", StringComparison.OrdinalIgnoreCase))
                continue;
            foreach (var value in header.Value)
                list.Add(new(header.Key, value));
        }
    }

    static readonly HashSet<string> s_noTokens = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Header names the client's Connection field marks hop-by-hop; no allocation in the usual case of none.</summary>
    static HashSet<string> ConnectionTokens(string? connection)
    {
        if (connection is null)
            return s_noTokens;
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in connection.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            set.Add(t);
        return set;
    }
}
