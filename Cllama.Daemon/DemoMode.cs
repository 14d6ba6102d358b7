using System.Security.Cryptography;
using Cllama.Config;
using Cllama.Demo;
using Cllama.Http;
using Microsoft.Extensions.Logging;

namespace Cllama.Daemon;

/// <summary>
/// <c>demo</c>: an in-process fake provider, three agents in a temporary directory, and a burst of traffic, so the
/// dashboard has something to show. Nothing outside the temporary directory is touched; provider keys from the
/// environment are ignored so no real key is ever sent to the fake.
/// </summary>
sealed class DemoMode : IAsyncDisposable
{
    readonly HttpServer _fake;
    readonly DemoEnvironment _environment;

    DemoMode(HttpServer fake, DemoEnvironment environment)
    {
        _fake = fake;
        _environment = environment;
    }

    public static DemoMode Start(ILoggerFactory loggerFactory)
    {
        var fake = new HttpServer("fake-provider", new ListenAddress("127.0.0.1", 0), new FakeProvider(), new HttpLimits(),
            loggerFactory.CreateLogger("cllama.demo"));
        fake.Start();
        return new DemoMode(fake, DemoEnvironment.Create($"http://127.0.0.1:{fake.LocalEndPoint.Port}/v1"));
    }

    /// <summary>The demo's configuration: its own directories and providers; LISTEN_ADDR, UI_ADDR and CLAW_UI_TOKEN honoured when set.</summary>
    public ProxyConfig Configure(ProxyConfig config) => config with
    {
        Listen = IsSet("LISTEN_ADDR") ? config.Listen : new ListenAddress("127.0.0.1", 9080),
        UiListen = IsSet("UI_ADDR") ? config.UiListen : new ListenAddress("127.0.0.1", 9081),
        ContextRoot = _environment.ContextRoot,
        AuthDir = _environment.AuthDir,
        StateDir = _environment.StateDir,
        Pod = DemoEnvironment.Pod,
        EnvKeys = new Dictionary<string, Secret>(),
        EnvBaseUrls = new Dictionary<string, string>(),
        UiToken = config.UiToken ?? new Secret(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
    };

    public Task<int> RunTrafficAsync(System.Net.IPEndPoint api, CancellationToken cancellationToken) =>
        DemoTraffic.RunAsync(api, _environment.Tokens, rounds: 3, cancellationToken);

    static bool IsSet(string name) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));

    /// <summary>Where the demo keeps everything; removed on dispose.</summary>
    public string Root => _environment.Root;

    public async ValueTask DisposeAsync()
    {
        // The proxy's pooled connections to the fake are idle by now and close at once; without a moment's grace
        // every demo exit ended with a "shutdown grace expired" warning about them.
        await _fake.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        await _fake.DisposeAsync().ConfigureAwait(false);
        _environment.Dispose();
    }
}
