using System.Net.Sockets;

namespace Cllama.Proxy;

static class UpstreamErrors
{
    /// <summary>A short reason for an upstream failure, safe to show (no URLs with credentials, no stack).</summary>
    public static string Describe(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is SocketException se)
                return se.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                    _ => se.SocketErrorCode.ToString(),
                };
            if (x is TimeoutException or OperationCanceledException)
                return "connection timed out";
            if (x is System.Security.Authentication.AuthenticationException)
                return "TLS handshake failed";
        }
        return "connection failed";
    }
}
