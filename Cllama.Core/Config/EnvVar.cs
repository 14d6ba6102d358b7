namespace Cllama.Config;

/// <summary>One environment variable the daemon reads: the single list behind parsing, <c>--help</c> and the README.</summary>
public sealed record EnvVar(string Name, string Default, string Meaning)
{
    public static readonly EnvVar[] All =
    [
        new("LISTEN_ADDR", ":8080", "API bind address (:port, host:port, [v6]:port)"),
        new("UI_ADDR", ":8081", "operator dashboard bind address"),
        new("CLAW_CONTEXT_ROOT", "/claw/context", "one sub-directory per agent, each with metadata.json"),
        new("CLAW_AUTH_DIR", "/claw/auth", "providers.json, pricing.json, policy.json"),
        new("CLAW_STATE_DIR", "/claw/state", "cost ledger and the generated dashboard token"),
        new("CLAW_POD", "", "pod name shown on the dashboard (falls back to the agents' pod)"),
        new("OPENAI_API_KEY", "", "OpenAI key (wins over providers.json)"),
        new("ANTHROPIC_API_KEY", "", "Anthropic key (wins over providers.json)"),
        new("OPENROUTER_API_KEY", "", "OpenRouter key (wins over providers.json)"),
        new("OPENAI_BASE_URL", "", "OpenAI base URL override"),
        new("ANTHROPIC_BASE_URL", "", "Anthropic base URL override"),
        new("OPENROUTER_BASE_URL", "", "OpenRouter base URL override"),
        new("OLLAMA_BASE_URL", "", "Ollama base URL override"),
        new("CLAW_UI_TOKEN", "generated", "dashboard operator token"),
        new("CLAW_UI_AUTH", "token", "'none' turns dashboard auth off (warned at start-up)"),
        new("CLLAMA_MAX_BODY_BYTES", "33554432", "largest request body accepted"),
        new("CLLAMA_CONNECT_TIMEOUT_MS", "10000", "upstream connect, TLS included"),
        new("CLLAMA_FIRST_BYTE_TIMEOUT_MS", "300000", "upstream response headers"),
        new("CLLAMA_IDLE_TIMEOUT_MS", "300000", "longest silence inside an upstream body"),
        new("CLLAMA_HEADER_TIMEOUT_MS", "10000", "time a client has to send its request headers"),
        new("CLLAMA_KEEPALIVE_TIMEOUT_MS", "120000", "idle keep-alive connection lifetime"),
        new("CLLAMA_SHUTDOWN_GRACE_MS", "10000", "drain time on SIGTERM/SIGINT"),
    ];
}
