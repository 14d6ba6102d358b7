using System.Net.Sockets;
using Cllama.Agents;
using Cllama.Config;
using Cllama.Costs;
using Cllama.Dashboard;
using Cllama.Governance;
using Cllama.Http;
using Cllama.Ledger;
using Cllama.Logging;
using Cllama.Providers;
using Cllama.Proxy;
using Microsoft.Extensions.Logging;

namespace Cllama.App;

/// <summary>
/// The whole daemon, wired: the API listener (health + proxy) and the dashboard listener. Created from a validated
/// <see cref="ProxyConfig"/>; <see cref="Start"/> binds, <see cref="StopAsync"/> drains.
/// </summary>
public sealed partial class CllamaApp : IAsyncDisposable
{
    readonly ProxyConfig _config;
    readonly ILogger _logger;
    readonly HttpServer _api;
    readonly HttpServer _dashboard;
    readonly DashboardHandler _dashboardHandler;

    CllamaApp(ProxyConfig config, ILoggerFactory loggerFactory, ProxyServices services)
    {
        _config = config;
        Services = services;
        var proxy = new ProxyHandler(services);
        var dashboard = _dashboardHandler = new DashboardHandler(config, services, loggerFactory.CreateLogger("cllama.dashboard"));
        _logger = loggerFactory.CreateLogger("cllama");
        var limits = new HttpLimits
        {
            MaxBodyBytes = config.MaxBodyBytes,
            HeaderTimeout = config.HeaderTimeout,
            KeepAliveTimeout = config.KeepAliveTimeout,
        };
        _api = new HttpServer("api", config.Listen, new ApiHandler(proxy), limits, loggerFactory.CreateLogger("cllama.api"));
        _dashboard = new HttpServer("dashboard", config.UiListen, dashboard, limits, loggerFactory.CreateLogger("cllama.dashboard"));
    }

    /// <param name="requestLogOutput">Where the request log goes: stdout in the daemon, a buffer in tests.</param>
    public static CllamaApp Create(ProxyConfig config, ILoggerFactory loggerFactory, Stream? requestLogOutput = null)
    {
        var providers = ProviderRegistry.Load(config.AuthDir, config.EnvKeys, config.EnvBaseUrls, loggerFactory.CreateLogger("cllama.providers"));
        var pricing = PricingTable.Load(config.AuthDir);
        var policy = PolicyRegistry.Load(config.AuthDir, loggerFactory.CreateLogger("cllama.policy"));
        var ledger = OpenLedger(config, loggerFactory);
        try
        {
            var agents = new AgentRegistry(config.ContextRoot, loggerFactory.CreateLogger("cllama.agents"));
            agents.Start();
            policy.Start();
            var governance = new Governor(policy, new BudgetGate(new LedgerSpend(ledger)), new ProxyMetrics());
            var services = new ProxyServices(agents, providers, pricing, new UpstreamClient(config), ledger,
                new RequestLog(requestLogOutput ?? Console.OpenStandardOutput()), governance);
            return new CllamaApp(config, loggerFactory, services);
        }
        catch
        {
            ledger.Dispose(); // releases the ledger's lock, so a corrected start-up in this process can open it
            throw;
        }
    }

    /// <summary>The durable cost ledger in CLAW_STATE_DIR: a damaged file stops start-up, naming it; a torn last write does not.</summary>
    static CostLedger OpenLedger(ProxyConfig config, ILoggerFactory loggerFactory)
    {
        try
        {
            return CostLedger.Open(config.StateDir, logger: loggerFactory.CreateLogger("cllama.ledger"));
        }
        catch (LedgerCorruptException e)
        {
            throw new StartupException($"cost ledger: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"CLAW_STATE_DIR: cannot open the cost ledger in {config.StateDir}: {e.Message}", e);
        }
    }

    public ProxyServices Services { get; }

    public System.Net.IPEndPoint ApiEndPoint => _api.LocalEndPoint;
    public System.Net.IPEndPoint DashboardEndPoint => _dashboard.LocalEndPoint;

    public void Start()
    {
        Bind(_api, "LISTEN_ADDR", _config.Listen);
        Bind(_dashboard, "UI_ADDR", _config.UiListen);
        _dashboardHandler.AnnounceLogin(DashboardEndPoint);
    }

    static void Bind(HttpServer server, string variable, ListenAddress address)
    {
        try
        {
            server.Start();
        }
        catch (SocketException e)
        {
            throw new StartupException($"{variable}: cannot listen on {address}: {e.Message}", e);
        }
    }

    /// <summary>Stops both listeners at once and waits, up to the grace period, for requests in flight.</summary>
    public async Task StopAsync()
    {
        LogStopping(_logger, (int)_config.ShutdownGrace.TotalMilliseconds);
        await Task.WhenAll(_api.StopAsync(_config.ShutdownGrace), _dashboard.StopAsync(_config.ShutdownGrace)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync().ConfigureAwait(false);
        await _dashboard.DisposeAsync().ConfigureAwait(false);
        Services.Agents.Dispose();
        Services.Governance.Dispose();
        Services.Upstream.Dispose();
        Services.Ledger.Dispose(); // after the listeners: every request they finished is in it
        await Services.Log.DisposeAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: draining requests in flight for up to {GraceMs} ms")]
    static partial void LogStopping(ILogger logger, int graceMs);
}
