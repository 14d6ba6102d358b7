using System.Reflection;
using Cllama.App;
using Cllama.Config;

namespace Cllama.Daemon;

/// <summary>Command-line entry: serve (no argument), demo, healthcheck, --version, --help.</summary>
static class Cli
{
    public static async Task<int> RunAsync(string[] args)
    {
        string command = args.Length == 0 ? "serve" : args[0];
        switch (command)
        {
            case "serve":
                return await ServeCommand.RunAsync(demo: false).ConfigureAwait(false);
            case "demo":
                return await ServeCommand.RunAsync(demo: true).ConfigureAwait(false);
            case "healthcheck" or "-healthcheck" or "--healthcheck":
                return await HealthCheck.RunAsync().ConfigureAwait(false);
            case "--version" or "-v" or "version":
                Console.Out.WriteLine($"cllama-passthrough {Version}");
                return 0;
            case "--help" or "-h" or "help":
                Console.Out.Write(HelpText());
                return 0;
            default:
                Console.Error.WriteLine($"cllama-passthrough: unknown command '{command}'. Try --help.");
                return 2;
        }
    }

    public static string Version =>
        typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    static string HelpText()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine("cllama-passthrough — an LLM proxy that holds the real API keys and meters every token and dollar per agent.");
        sb.AppendLine();
        sb.AppendLine("Usage:");
        sb.AppendLine("  cllama-passthrough                serve the API (LISTEN_ADDR) and the dashboard (UI_ADDR)");
        sb.AppendLine("  cllama-passthrough demo           self-contained demo: fake provider, three agents, live dashboard");
        sb.AppendLine("  cllama-passthrough healthcheck    GET /health on LISTEN_ADDR; exit 0 when healthy, 1 otherwise");
        sb.AppendLine("  cllama-passthrough --version      print the version");
        sb.AppendLine("  cllama-passthrough --help         this text");
        sb.AppendLine();
        sb.AppendLine("Environment:");
        foreach (var v in EnvVar.All)
            sb.AppendLine($"  {v.Name,-30} {(v.Default.Length == 0 ? "(empty)" : v.Default),-14} {v.Meaning}");
        return sb.ToString();
    }
}
