using System.Net;

namespace Cllama.Config;

/// <summary>A bind address in one of the forms the seed accepts: <c>:8080</c>, <c>host:8080</c>, <c>[::1]:8080</c>.</summary>
public sealed record ListenAddress(string Host, int Port)
{
    public static bool TryParse(string text, out ListenAddress? address, out string? problem)
    {
        address = null;
        problem = null;
        string host;
        string portText;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                problem = "expected [v6-address]:port";
                return false;
            }
            host = text[1..close];
            portText = text[(close + 2)..];
        }
        else
        {
            int colon = text.LastIndexOf(':');
            if (colon < 0)
            {
                problem = "expected :port, host:port or [v6]:port";
                return false;
            }
            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':'))
            {
                problem = "an IPv6 address must be written in brackets, [::1]:port";
                return false;
            }
        }
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, null, out int port) || port is < 0 or > 65535)
        {
            problem = $"port '{portText}' is not a number from 0 to 65535";
            return false;
        }
        address = new ListenAddress(host, port);
        return true;
    }

    /// <summary>Resolves to endpoints; an empty host means every interface (dual-stack where the OS allows).</summary>
    public IPEndPoint[] Resolve()
    {
        if (Host.Length == 0 || Host == "*")
            return [new IPEndPoint(IPAddress.IPv6Any, Port)];
        if (IPAddress.TryParse(Host, out var ip))
            return [new IPEndPoint(ip, Port)];
        if (Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return [new IPEndPoint(IPAddress.Loopback, Port)];
        var addresses = Dns.GetHostAddresses(Host);
        if (addresses.Length == 0)
            throw new InvalidOperationException($"host '{Host}' did not resolve");
        return [new IPEndPoint(addresses[0], Port)];
    }

    /// <summary>An address a local client (the healthcheck) can dial.</summary>
    public string DialHost => Host switch
    {
        "" or "*" or "0.0.0.0" => "127.0.0.1",
        "::" => "[::1]",
        _ when Host.Contains(':') => $"[{Host}]",
        _ => Host,
    };

    public override string ToString() => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
