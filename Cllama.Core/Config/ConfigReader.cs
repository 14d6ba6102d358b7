namespace Cllama.Config;

/// <summary>Thrown for an invalid environment value; the message names the variable and never echoes a secret.</summary>
public sealed class ConfigException(string message) : Exception(message);

/// <summary>Reads <see cref="ProxyConfig"/> by name from an environment lookup, validating each value once.</summary>
public static class ConfigReader
{
    public static ProxyConfig FromEnvironment() => Read(Environment.GetEnvironmentVariable);

    public static ProxyConfig Read(Func<string, string?> env)
    {
        string Get(string name)
        {
            var v = env(name);
            return string.IsNullOrEmpty(v) ? EnvVar.All.First(e => e.Name == name).Default : v;
        }

        var keys = new Dictionary<string, Secret>();
        AddKey(keys, env, "openai", "OPENAI_API_KEY");
        AddKey(keys, env, "anthropic", "ANTHROPIC_API_KEY");
        AddKey(keys, env, "openrouter", "OPENROUTER_API_KEY");

        var urls = new Dictionary<string, string>();
        AddUrl(urls, env, "openai", "OPENAI_BASE_URL");
        AddUrl(urls, env, "anthropic", "ANTHROPIC_BASE_URL");
        AddUrl(urls, env, "openrouter", "OPENROUTER_BASE_URL");
        AddUrl(urls, env, "ollama", "OLLAMA_BASE_URL");

        string uiAuth = Get("CLAW_UI_AUTH");
        if (uiAuth is not ("token" or "none"))
            throw new ConfigException($"CLAW_UI_AUTH: '{uiAuth}' is not 'token' or 'none'");
        string? uiToken = env("CLAW_UI_TOKEN");
        if (uiToken is { Length: > 0 and < 16 })
            throw new ConfigException("CLAW_UI_TOKEN: must be at least 16 characters");

        return new ProxyConfig
        {
            Listen = Address("LISTEN_ADDR", Get("LISTEN_ADDR")),
            UiListen = Address("UI_ADDR", Get("UI_ADDR")),
            ContextRoot = Get("CLAW_CONTEXT_ROOT"),
            AuthDir = Get("CLAW_AUTH_DIR"),
            StateDir = Get("CLAW_STATE_DIR"),
            Pod = env("CLAW_POD") ?? "",
            EnvKeys = keys,
            EnvBaseUrls = urls,
            UiToken = string.IsNullOrEmpty(uiToken) ? null : new Secret(uiToken),
            UiAuthDisabled = uiAuth == "none",
            MaxBodyBytes = BodyLimit(Get("CLLAMA_MAX_BODY_BYTES")),
            ConnectTimeout = Millis("CLLAMA_CONNECT_TIMEOUT_MS", Get("CLLAMA_CONNECT_TIMEOUT_MS")),
            FirstByteTimeout = Millis("CLLAMA_FIRST_BYTE_TIMEOUT_MS", Get("CLLAMA_FIRST_BYTE_TIMEOUT_MS")),
            IdleTimeout = Millis("CLLAMA_IDLE_TIMEOUT_MS", Get("CLLAMA_IDLE_TIMEOUT_MS")),
            HeaderTimeout = Millis("CLLAMA_HEADER_TIMEOUT_MS", Get("CLLAMA_HEADER_TIMEOUT_MS")),
            KeepAliveTimeout = Millis("CLLAMA_KEEPALIVE_TIMEOUT_MS", Get("CLLAMA_KEEPALIVE_TIMEOUT_MS")),
            ShutdownGrace = Millis("CLLAMA_SHUTDOWN_GRACE_MS", Get("CLLAMA_SHUTDOWN_GRACE_MS"), allowZero: true),
        };
    }

    static ListenAddress Address(string name, string value) =>
        ListenAddress.TryParse(value, out var a, out var problem)
            ? a!
            : throw new ConfigException($"{name}: '{value}' is not a bind address ({problem})");

    static long Positive(string name, string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, null, out long n) && n > 0
            ? n
            : throw new ConfigException($"{name}: '{value}' is not a positive whole number");

    /// <summary>A request body is buffered whole, so it must fit one array (about 2 GiB).</summary>
    static long BodyLimit(string value)
    {
        long n = Positive("CLLAMA_MAX_BODY_BYTES", value);
        return n <= Array.MaxLength
            ? n
            : throw new ConfigException($"CLLAMA_MAX_BODY_BYTES: '{value}' is larger than the most a request body can be ({Array.MaxLength})");
    }

    static TimeSpan Millis(string name, string value, bool allowZero = false)
    {
        if (long.TryParse(value, System.Globalization.NumberStyles.None, null, out long ms)
            && (ms > 0 || (allowZero && ms == 0)) && ms <= int.MaxValue)
            return TimeSpan.FromMilliseconds(ms);
        throw new ConfigException($"{name}: '{value}' is not a whole number of milliseconds from {(allowZero ? 0 : 1)} to {int.MaxValue}");
    }

    static void AddKey(Dictionary<string, Secret> keys, Func<string, string?> env, string provider, string name)
    {
        var v = env(name);
        if (!string.IsNullOrWhiteSpace(v))
            keys[provider] = new Secret(v.Trim());
    }

    static void AddUrl(Dictionary<string, string> urls, Func<string, string?> env, string provider, string name)
    {
        var v = env(name);
        if (string.IsNullOrWhiteSpace(v))
            return;
        if (!Uri.TryCreate(v, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new ConfigException($"{name}: '{v}' is not an http or https URL");
        urls[provider] = v.TrimEnd('/');
    }
}
