using System.Net;
using Cllama.Http;

namespace Cllama.Dashboard;

/// <summary>
/// Same-origin proof for state changes: the browser-set <c>Origin</c> (or, failing that, <c>Referer</c>) must name
/// the host the request was sent to. A request carrying neither is refused: every current browser sends Origin on
/// a POST, so only a non-browser client lacks it, and that one should use a bearer token.
/// </summary>
public static class OriginCheck
{
    public static bool IsSameOrigin(HttpRequestHead request)
    {
        string? host = request.Headers.Get("host");
        if (string.IsNullOrEmpty(host))
            return false;
        string? origin = request.Headers.Get("origin");
        if (origin is not null)
            return IsOurs(origin, host, exact: true);
        string? referer = request.Headers.Get("referer");
        return referer is not null && IsOurs(referer, host, exact: false);
    }

    /// <summary>An IP literal or <c>localhost</c> (with an optional port): a name no DNS-rebinding attacker controls.</summary>
    public static bool IsAddressHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
            return false;
        string name = host;
        if (name.StartsWith('['))
        {
            int close = name.IndexOf(']');
            return close > 0 && IPAddress.TryParse(name[1..close], out _);
        }
        int colon = name.LastIndexOf(':');
        if (colon >= 0)
            name = name[..colon];
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(name, out _);
    }

    static bool IsOurs(string url, string host, bool exact)
    {
        foreach (var scheme in (ReadOnlySpan<string>)["http://", "https://"])
        {
            if (!url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                continue;
            var rest = url.AsSpan(scheme.Length);
            if (!rest.StartsWith(host, StringComparison.OrdinalIgnoreCase))
                return false;
            var after = rest[host.Length..];
            return exact ? after.IsEmpty : after.IsEmpty || after[0] == '/';
        }
        return false;
    }
}
