using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cllama.Tests.Binary;

/// <summary>CONTRACT §1 <c>healthcheck</c>: what a distroless image's HEALTHCHECK runs, with no curl to lean on.</summary>
public class BinaryHealthCheckTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData("healthcheck")]
    [InlineData("-healthcheck")]
    public async Task Exits_0_against_the_live_binary(string command)
    {
        await using var bin = await RunningBinary.StartAsync();
        using var home = new BinaryHome();
        home.Env["LISTEN_ADDR"] = bin.Api.ToString();
        var (exit, run) = await BinaryProcess.RunToExitAsync(home.Env, Bound, command);
        await using var _ = run;
        Assert.True(exit == 0, $"healthcheck exited {exit}: {run.Stderr}");
    }

    [Fact]
    public async Task Exits_1_when_nothing_listens()
    {
        using var home = new BinaryHome();
        home.Env["LISTEN_ADDR"] = $"127.0.0.1:{ClosedPort()}";
        var clock = Stopwatch.StartNew();
        var (exit, run) = await BinaryProcess.RunToExitAsync(home.Env, Bound, "healthcheck");
        await using var _ = run;
        Assert.Equal(1, exit);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Exits_1_within_3_seconds_when_the_server_never_answers()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the kernel completes the handshake) and never says a word
        using var home = new BinaryHome();
        home.Env["LISTEN_ADDR"] = silent.LocalEndpoint.ToString()!;
        var clock = Stopwatch.StartNew();
        var (exit, run) = await BinaryProcess.RunToExitAsync(home.Env, Bound, "healthcheck");
        await using var _ = run;
        Assert.Equal(1, exit);
        // 3 s is the command's own budget; the rest is process start and exit on a loaded machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"gave up after only {clock.Elapsed}");
    }

    /// <summary>A loopback port nobody listens on: bound by us, then released.</summary>
    static int ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
