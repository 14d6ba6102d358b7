using System.Net.Sockets;
using System.Text;

namespace Cllama.Tests.Binary;

/// <summary>sd_notify: READY=1 once both listeners serve, STOPPING=1 on SIGTERM, on the socket named by NOTIFY_SOCKET.</summary>
public class BinarySystemdNotifyTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ready_then_stopping_arrive_on_the_notify_socket(bool abstractNamespace)
    {
        using var home = new BinaryHome();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        string name = abstractNamespace ? "cllama-notify-" + Guid.NewGuid().ToString("N") : Path.Combine(home.Root, "notify.sock");
        socket.Bind(new UnixDomainSocketEndPoint(abstractNamespace ? "\0" + name : name));
        home.Env["NOTIFY_SOCKET"] = abstractNamespace ? "@" + name : name;

        await using var run = BinaryProcess.Start(home.Env);
        Assert.Equal("READY=1", await ReceiveAsync(socket));
        // READY means serving: both listeners answer at once, with no retry.
        var api = await run.EndPointAsync("api");
        var ui = await run.EndPointAsync("dashboard");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        Assert.True((await http.GetAsync($"http://{api}/health")).IsSuccessStatusCode);
        using var costs = new HttpRequestMessage(HttpMethod.Get, $"http://{ui}/costs/api");
        costs.Headers.Authorization = new("Bearer", BinaryHome.UiToken);
        Assert.True((await http.SendAsync(costs)).IsSuccessStatusCode);

        run.Terminate();
        Assert.Equal("STOPPING=1", await ReceiveAsync(socket));
        Assert.Equal(0, await run.WaitForExitAsync(Bound));
    }

    static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[256];
        using var cts = new CancellationTokenSource(Bound);
        int n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }
}
