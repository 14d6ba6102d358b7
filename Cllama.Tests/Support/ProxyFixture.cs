using System.Net.Http.Headers;
using System.Text;
using Cllama.App;
using Cllama.Config;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cllama.Tests.Support;

/// <summary>
/// A running proxy (the real <see cref="CllamaApp"/>, in-process on loopback) with a temporary context and auth
/// directory, one scripted upstream registered as providers "fake" (bearer), "fakeant" (x-api-key) and
/// "fakenone" (no auth), and agents created on demand.
/// </summary>
public sealed class ProxyFixture : IAsyncDisposable
{
    public const string UpstreamKey = "sk-real-upstream-key-0123456789";
    public const string AnthropicKey = "sk-ant-real-key-abcdefghijkl";

    ProxyFixture(string root, ScriptedUpstream upstream, CllamaApp app, LogCapture log)
    {
        Root = root;
        Upstream = upstream;
        App = app;
        Log = log;
        Http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{app.ApiEndPoint.Port}") };
    }

    public string Root { get; }
    public ScriptedUpstream Upstream { get; }
    public CllamaApp App { get; }
    public LogCapture Log { get; }
    public HttpClient Http { get; }
    public string ContextRoot => Path.Combine(Root, "context");
    public string AuthDir => Path.Combine(Root, "auth");
    public Uri ApiBase => new($"http://127.0.0.1:{App.ApiEndPoint.Port}/v1/");
    public Uri DashboardBase => new($"http://127.0.0.1:{App.DashboardEndPoint.Port}/");

    public static async Task<ProxyFixture> StartAsync(Func<ProxyConfig, ProxyConfig>? configure = null,
        Dictionary<string, string>? extraProviders = null, string? pricingJson = null)
    {
        var upstream = ScriptedUpstream.Start();
        string root = Directory.CreateTempSubdirectory("cllama-test-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "context"));
        Directory.CreateDirectory(Path.Combine(root, "auth"));
        Directory.CreateDirectory(Path.Combine(root, "state"));
        var providers = new StringBuilder();
        providers.Append($$"""{"providers":{"fake":{"base_url":"{{upstream.BaseUrl}}","api_key":"{{UpstreamKey}}","auth":"bearer"},""");
        providers.Append($$""" "fakeant":{"base_url":"{{upstream.BaseUrl}}","api_key":"{{AnthropicKey}}","auth":"x-api-key","api_format":"anthropic"},""");
        providers.Append($$""" "fakenone":{"base_url":"{{upstream.BaseUrl}}","auth":"none"}""");
        foreach (var (name, json) in extraProviders ?? [])
            providers.Append($",\"{name}\":{json}");
        providers.Append("}}");
        File.WriteAllText(Path.Combine(root, "auth", "providers.json"), providers.ToString());
        if (pricingJson is not null)
            File.WriteAllText(Path.Combine(root, "auth", "pricing.json"), pricingJson);

        var config = ConfigReader.Read(_ => null) with
        {
            Listen = new ListenAddress("127.0.0.1", 0),
            UiListen = new ListenAddress("127.0.0.1", 0),
            ContextRoot = Path.Combine(root, "context"),
            AuthDir = Path.Combine(root, "auth"),
            StateDir = Path.Combine(root, "state"),
            UiToken = new Secret(DashboardToken),
        };
        config = configure?.Invoke(config) ?? config;
        var log = new LogCapture();
        var app = CllamaApp.Create(config, NullLoggerFactory.Instance, log);
        app.Start();
        return await Task.FromResult(new ProxyFixture(root, upstream, app, log));
    }

    public const string DashboardToken = "test-dashboard-token-0123456789";

    /// <summary>Creates agent <paramref name="id"/> on disk and waits until the proxy accepts its token.</summary>
    public async Task<string> AddAgentAsync(string id, string? metadataExtra = null)
    {
        string secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        string token = $"{id}:{secret}";
        WriteAgent(id, token, metadataExtra);
        await WaitUntilAsync(() => App.Services.Agents.Authenticate("Bearer " + token, null).Succeeded, "agent to load");
        return token;
    }

    public void WriteAgent(string id, string token, string? metadataExtra = null)
    {
        string dir = Directory.CreateDirectory(Path.Combine(ContextRoot, id)).FullName;
        string tmp = Path.Combine(dir, "metadata.json.tmp");
        File.WriteAllText(tmp, $$"""{"token":"{{token}}","pod":"test-pod","service":"{{id}}","type":"test"{{metadataExtra}}}""");
        File.Move(tmp, Path.Combine(dir, "metadata.json"), overwrite: true);
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, int timeoutMs = 5000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    public HttpRequestMessage Post(string path, string token, string json, string auth = "bearer")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (auth == "bearer")
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        else
            request.Headers.TryAddWithoutValidation("x-api-key", token);
        return request;
    }

    public async Task<string> CostsJsonAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(DashboardBase, "costs/api"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DashboardToken);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.DisposeAsync();
        await Upstream.DisposeAsync();
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }
}
