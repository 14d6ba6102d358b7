using System.Net.Sockets;
using System.Text;
using Cllama.Config;

namespace Cllama.Daemon;

/// <summary>
/// <c>healthcheck</c>: one GET /health on LISTEN_ADDR over a raw socket (a distroless image has no curl), exit 0 on
/// a 200 within 3 s, else 1.
/// </summary>
static class HealthCheck
{
    public static async Task<int> RunAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            var config = ConfigReader.FromEnvironment();
            string host = config.Listen.DialHost.Trim('[', ']');
            using var client = new TcpClient(host.Contains(':') ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            await client.ConnectAsync(host, config.Listen.Port, cts.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /health HTTP/1.1\r\nHost: {config.Listen.DialHost}\r\nConnection: close\r\n\r\n"), cts.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            int filled = 0;
            while (filled < 12)
            {
                int n = await stream.ReadAsync(buffer.AsMemory(filled), cts.Token).ConfigureAwait(false);
                if (n == 0)
                    break;
                filled += n;
            }
            string statusLine = Encoding.ASCII.GetString(buffer, 0, filled);
            if (statusLine.StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
                return 0;
            Console.Error.WriteLine($"healthcheck: unhealthy answer from {config.Listen}");
            return 1;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ConfigException)
        {
            Console.Error.WriteLine($"healthcheck: {e.Message}");
            return 1;
        }
    }
}
