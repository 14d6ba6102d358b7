using System.Net;
using System.Net.Sockets;
using System.Text;
using Cllama.Tests.Sdk;

namespace Cllama.Tests.Binary;

/// <summary>CONTRACT §1 SIGTERM: stop accepting, let the streams in flight finish, exit 0.</summary>
public class BinaryShutdownTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Sigterm_mid_stream_refuses_new_connections_lets_the_stream_finish_and_exits_0()
    {
        string token = "";
        await using var bin = await RunningBinary.StartAsync(home => token = home.AddAgent("tiverton"));
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        string[] deltas = Enumerable.Range(1, 10).Select(i => $"w{i} ").ToArray();
        // After the first word the provider waits until the proxy is seen refusing connections, then keeps streaming
        // for about a second more: the drain has to carry the whole tail through.
        bin.Upstream.Script = ProviderScripts.OpenAIStream(deltas, 100, 10, async i =>
        {
            if (i == 1)
                await refused.Task.WaitAsync(Bound);
            if (i >= 1)
                await Task.Delay(100);
        });

        using var response = await bin.Http.SendAsync(RunningBinary.Post("/v1/chat/completions", token,
            """{"model":"fake/gpt-4o","stream":true}"""), HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string received = await ReadUntilAsync(reader, "w1 ");

        bin.Process.Terminate();
        await WaitUntilRefusedAsync(bin.Api);
        refused.SetResult();
        received += await reader.ReadToEndAsync().WaitAsync(Bound);

        foreach (var d in deltas)
            Assert.Contains($"\"content\":\"{d}\"", received);
        Assert.EndsWith("data: [DONE]\n\n", received);
        Assert.Equal(0, await bin.Process.WaitForExitAsync(Bound));
        // The drained request was accounted for and logged before exit.
        Assert.Contains(bin.Process.Stdout.Snapshot(), l => l.Contains("\"type\":\"response\"") && l.Contains("\"stream\":true"));
    }

    [Fact]
    public async Task Sigint_with_nothing_in_flight_exits_0_promptly()
    {
        await using var bin = await RunningBinary.StartAsync();
        bin.Process.Signal(Posix.SIGINT);
        Assert.Equal(0, await bin.Process.WaitForExitAsync(TimeSpan.FromSeconds(5)));
    }

    static async Task<string> ReadUntilAsync(StreamReader reader, string marker)
    {
        var text = new StringBuilder();
        var buffer = new char[256];
        while (!text.ToString().Contains(marker))
        {
            int n = await reader.ReadAsync(buffer).AsTask().WaitAsync(Bound);
            if (n == 0)
                throw new EndOfStreamException($"stream ended before '{marker}': {text}");
            text.Append(buffer, 0, n);
        }
        return text.ToString();
    }

    /// <summary>Connects until the kernel refuses: the listener is closed. Bounded, since a drain that keeps accepting is the bug.</summary>
    static async Task WaitUntilRefusedAsync(IPEndPoint api)
    {
        long deadline = Environment.TickCount64 + 5000;
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(api);
            }
            // Reset: the attempt sat in the backlog of the listener as it closed, which is the same answer.
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
            {
                return;
            }
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException($"{api} still accepts connections 5 s after SIGTERM");
            await Task.Delay(20);
        }
    }
}
