using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cllama.Tests.Binary;
using Cllama.Tests.Support;
using Xunit.Abstractions;

namespace Cllama.Tests.Ledger;

/// <summary>
/// CONTRACT §10 against the published binary: kill -9 in the middle of parallel load loses no request whose response
/// the client saw complete and counts none twice; SIGTERM + restart keeps the totals exactly.
/// </summary>
public class LedgerCrashTests(ITestOutputHelper output)
{
    const string ChatJson = """{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500}}""";
    const decimal CostPerRequest = 0.0075m; // 1000 × $2.50/M + 500 × $10/M
    const int SigKill = 9;

    sealed class Load(IPEndPoint api, string token) : IAsyncDisposable
    {
        readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri($"http://{api}/") };
        volatile bool _stopping;
        readonly TaskCompletionSource _enough = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Task[] _workers = [];
        long _sent, _completed;

        public long Sent => Interlocked.Read(ref _sent);
        public long Completed => Interlocked.Read(ref _completed);

        /// <summary>Starts <paramref name="workers"/> loops; the returned task completes once <paramref name="target"/> responses completed.</summary>
        public Task Start(int workers, long target)
        {
            _workers = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (!_stopping)
                {
                    Interlocked.Increment(ref _sent);
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
                        {
                            Content = new StringContent("""{"model":"fake/gpt-4o","messages":[]}""", Encoding.UTF8, "application/json"),
                        };
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                        using var response = await _http.SendAsync(request);
                        string body = await response.Content.ReadAsStringAsync();
                        if (response.StatusCode == HttpStatusCode.OK && body == ChatJson && Interlocked.Increment(ref _completed) >= target)
                            _enough.TrySetResult();
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException)
                    {
                        // cut by the kill: not completed
                    }
                }
            })).ToArray();
            return _enough.Task;
        }

        /// <summary>Lets each worker finish the request it is in (never cancels one: a cancelled request is still metered, late).</summary>
        public async ValueTask DisposeAsync()
        {
            _stopping = true;
            await Task.WhenAll(_workers);
            _http.Dispose();
        }
    }

    static (long Requests, decimal Cost) Totals(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return (doc.RootElement.GetProperty("total_requests").GetInt64(), doc.RootElement.GetProperty("total_cost_usd").GetDecimal());
    }

    static async Task<(BinaryProcess Process, IPEndPoint Api, IPEndPoint Ui)> StartAsync(BinaryHome home)
    {
        var process = BinaryProcess.Start(home.Env);
        try
        {
            var api = await process.EndPointAsync("api");
            var ui = await process.EndPointAsync("dashboard");
            await process.WaitHealthyAsync(api);
            return (process, api, ui);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    static async Task<string> CostsJsonAsync(IPEndPoint ui)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{ui}/costs/api");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BinaryHome.UiToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Kill_9_under_load_keeps_every_completed_request_and_SIGTERM_keeps_the_totals()
    {
        using var home = new BinaryHome();
        await using var upstream = ScriptedUpstream.Start();
        upstream.Script = async ctx =>
        {
            await Task.Yield(); // answer from another thread, so requests overlap in the proxy
            ctx.Response.Send(200, "application/json", Encoding.UTF8.GetBytes(ChatJson));
        };
        home.WriteProviders($$$$"""{"providers":{"fake":{"base_url":"{{{{upstream.BaseUrl}}}}","api_key":"sk-upstream","auth":"bearer"}}}""");
        home.WritePricing("""{"models":{"fake/gpt-4o":{"input":2.5,"output":10}}}""");
        string token = home.AddAgent("tiverton");

        // 1. Parallel load, then kill -9 while requests are in flight.
        long sent, completed;
        var (first, api, _) = await StartAsync(home);
        await using (first)
        {
            var load = new Load(api, token);
            await using (load)
            {
                await load.Start(workers: 16, target: 300).WaitAsync(TimeSpan.FromSeconds(60));
                first.Signal(SigKill);
                await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            }
            (sent, completed) = (load.Sent, load.Completed);
        }
        Assert.True(completed >= 300);

        // 2. Restart on the same state: every completed request is there, nothing is counted twice.
        string beforeTerm;
        var (second, api2, ui2) = await StartAsync(home);
        await using (second)
        {
            var (requests, cost) = Totals(await CostsJsonAsync(ui2));
            output.WriteLine($"kill -9 after {completed} completed of {sent} sent; {requests} recorded after the restart");
            Assert.InRange(requests, completed, sent);
            Assert.Equal(requests * CostPerRequest, cost);

            // 3. More traffic, then SIGTERM: a clean stop keeps the totals exactly.
            var load = new Load(api2, token);
            await using (load)
                await load.Start(workers: 4, target: 40).WaitAsync(TimeSpan.FromSeconds(60));
            beforeTerm = await CostsJsonAsync(ui2);
            Assert.True(Totals(beforeTerm).Requests >= requests + 40);
            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        var (third, _, ui3) = await StartAsync(home);
        await using (third)
            Assert.Equal(beforeTerm, await CostsJsonAsync(ui3));
    }
}
