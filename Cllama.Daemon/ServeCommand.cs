using System.Runtime.InteropServices;
using Cllama.App;
using Cllama.Config;
using Microsoft.Extensions.Logging;

namespace Cllama.Daemon;

/// <summary>Runs the daemon until SIGTERM/SIGINT, then drains and exits 0. Start-up problems exit 1.</summary>
static partial class ServeCommand
{
    public static async Task<int> RunAsync(bool demo)
    {
        using var loggerFactory = Logs.CreateFactory();
        var logger = loggerFactory.CreateLogger("cllama");
        ProxyConfig config;
        try
        {
            config = ConfigReader.FromEnvironment();
        }
        catch (ConfigException e)
        {
            LogStartupFailed(logger, e.Message);
            return 1;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true; // we exit ourselves, after draining
            stop.TrySetResult();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        await using var demoMode = demo ? DemoMode.Start(loggerFactory) : null;
        if (demoMode is not null)
            config = demoMode.Configure(config);

        CllamaApp app;
        try
        {
            app = CllamaApp.Create(config, loggerFactory);
            app.Start();
        }
        catch (StartupException e)
        {
            LogStartupFailed(logger, e.Message);
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            SystemdNotify.Send("READY=1");
            LogReady(logger, Cli.Version);
            using var stopping = new CancellationTokenSource();
            Task demoTraffic = Task.CompletedTask;
            if (demoMode is not null)
            {
                PrintDemoBanner(config, app, demoMode.Root);
                demoTraffic = demoMode.RunTrafficAsync(app.ApiEndPoint, stopping.Token);
            }
            await stop.Task.ConfigureAwait(false);
            SystemdNotify.Send("STOPPING=1");
            stopping.Cancel();
            await app.StopAsync().ConfigureAwait(false);
            try { await demoTraffic.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        return 0;
    }

    static void PrintDemoBanner(ProxyConfig config, CllamaApp app, string root)
    {
        var ui = app.DashboardEndPoint;
        string url = $"http://{ui}/login?token={Uri.EscapeDataString(config.UiToken!.Reveal())}";
        Console.Error.WriteLine($"""

            cllama-passthrough demo — three agents of pod trading-desk are sending a burst of requests.
              Dashboard:  {url}
              API:        http://{app.ApiEndPoint}   (costs: curl -H 'Authorization: Bearer <token>' http://{ui}/costs/api)
            Press Ctrl-C to stop. Everything lives in the temporary directory {root}, removed on exit.

            """);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot start: {Problem}")]
    static partial void LogStartupFailed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "cllama-passthrough {Version} ready")]
    static partial void LogReady(ILogger logger, string version);
}
