namespace Cllama.Config;

/// <summary>Everything the daemon reads from the environment, read once at start-up and validated.</summary>
public sealed record ProxyConfig
{
    public required ListenAddress Listen { get; init; }
    public required ListenAddress UiListen { get; init; }
    public required string ContextRoot { get; init; }
    public required string AuthDir { get; init; }
    public required string StateDir { get; init; }
    public string Pod { get; init; } = "";
    /// <summary>Provider name → key from the environment; these win over providers.json.</summary>
    public IReadOnlyDictionary<string, Secret> EnvKeys { get; init; } = new Dictionary<string, Secret>();
    /// <summary>Provider name → base URL from the environment.</summary>
    public IReadOnlyDictionary<string, string> EnvBaseUrls { get; init; } = new Dictionary<string, string>();
    public Secret? UiToken { get; init; }
    public bool UiAuthDisabled { get; init; }
    public long MaxBodyBytes { get; init; } = 32 * 1024 * 1024;
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromMinutes(2);
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);
}
