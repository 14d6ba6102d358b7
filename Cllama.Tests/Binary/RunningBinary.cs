using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cllama.Tests.Support;

namespace Cllama.Tests.Binary;

/// <summary>
/// The published binary serving on free loopback ports, with a scripted fake upstream registered as providers
/// "fake" (bearer, OpenAI format) and "anthropic" (x-api-key), agents in its own context directory, and a fixed
/// dashboard token.
/// </summary>
public sealed class RunningBinary : IAsyncDisposable
{
    public const string UpstreamKey = "sk-binary-upstream-key-0123456789";

    RunningBinary(BinaryHome home, ScriptedUpstream upstream, BinaryProcess process, IPEndPoint api, IPEndPoint ui)
    {
        Home = home;
        Upstream = upstream;
        Process = process;
        Api = api;
        Ui = ui;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://{api}") };
    }

    public BinaryHome Home { get; }
    public ScriptedUpstream Upstream { get; }
    public BinaryProcess Process { get; }
    public IPEndPoint Api { get; }
    public IPEndPoint Ui { get; }
    public HttpClient Http { get; }

    /// <param name="setup">Runs before the start: add agents, pricing, environment.</param>
    public static async Task<RunningBinary> StartAsync(Action<BinaryHome>? setup = null)
    {
        var home = new BinaryHome();
        var upstream = ScriptedUpstream.Start();
        BinaryProcess? process = null;
        try
        {
            home.WriteProviders($$$"""
                {"providers":{
                  "fake":{"base_url":"{{{upstream.BaseUrl}}}","api_key":"{{{UpstreamKey}}}","auth":"bearer"},
                  "anthropic":{"base_url":"{{{upstream.BaseUrl}}}","api_key":"{{{UpstreamKey}}}","auth":"x-api-key","api_format":"anthropic"}
                }}
                """);
            setup?.Invoke(home);
            process = BinaryProcess.Start(home.Env);
            var api = await process.EndPointAsync("api");
            var ui = await process.EndPointAsync("dashboard");
            await process.WaitHealthyAsync(api);
            return new RunningBinary(home, upstream, process, api, ui);
        }
        catch
        {
            if (process is not null)
                await process.DisposeAsync();
            await upstream.DisposeAsync();
            home.Dispose();
            throw;
        }
    }

    public static HttpRequestMessage Post(string path, string token, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    /// <summary>GET /costs/api on the dashboard port with the operator token.</summary>
    public async Task<string> CostsJsonAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{Ui}/costs/api");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BinaryHome.UiToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        await Upstream.DisposeAsync();
        Home.Dispose();
    }
}
