using System.Text;

namespace Cllama.Tests.Http;

/// <summary>No input, however malformed, stops the server, hangs a connection, or reaches the error log.</summary>
public class HttpServerFuzzTests
{
    [Theory]
    [InlineData(20240601)]
    [InlineData(7)]
    public async Task Thousands_of_mutated_requests_never_stop_the_server(int seed)
    {
        const int connections = 1000;
        await using var server = await TestServer.StartAsync();
        var mutator = new RequestMutator(seed);
        // Cases are drawn up front so the run is the same whatever order the workers take them in.
        var cases = Enumerable.Range(0, connections).Select(_ =>
        {
            var requests = Enumerable.Range(0, 1 + mutator.Next(3))
                .SelectMany(_ => mutator.Mutate(RequestMutator.Seeds[mutator.Next(RequestMutator.Seeds.Length)])).ToArray();
            return (Bytes: requests, Cut: mutator.Next(requests.Length + 1));
        }).ToArray();

        int next = -1, answered = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < cases.Length)
            {
                var (bytes, cut) = cases[i];
                await using var client = await server.ConnectAsync();
                try
                {
                    await client.SendAsync(bytes.AsMemory(0, cut)); // two writes: the server meets a split head
                    await client.SendAsync(bytes.AsMemory(cut));
                    client.ShutdownSend();
                }
                catch (System.Net.Sockets.SocketException) { } // refused already and closed: fine
                var reply = await client.ReadToEndAsync();
                if (reply.Length > 0)
                {
                    Assert.True(reply.AsSpan().StartsWith("HTTP/1."u8), $"case {i}: reply starts {Encoding.Latin1.GetString(reply[..Math.Min(40, reply.Length)])}");
                    Interlocked.Increment(ref answered);
                }
            }
        }));

        Assert.True(answered > connections / 2, $"only {answered} of {connections} connections got any reply");
        Assert.Equal(200, (await server.GetHealthAsync()).Status);
        Assert.Empty(server.Log.Errors);
    }
}
