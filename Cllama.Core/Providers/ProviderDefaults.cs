namespace Cllama.Providers;

/// <summary>What a well-known provider name implies when the file or environment leaves a field out.</summary>
internal static class ProviderDefaults
{
    public sealed record Defaults(string BaseUrl, ProviderAuth Auth, ApiFormat Format);

    static readonly Defaults Gemini = new("https://generativelanguage.googleapis.com/v1beta/openai", ProviderAuth.Bearer, ApiFormat.OpenAI);

    public static Defaults? For(string name) => name switch
    {
        "openai" => new("https://api.openai.com/v1", ProviderAuth.Bearer, ApiFormat.OpenAI),
        "anthropic" => new("https://api.anthropic.com/v1", ProviderAuth.XApiKey, ApiFormat.Anthropic),
        "openrouter" => new("https://openrouter.ai/api/v1", ProviderAuth.Bearer, ApiFormat.OpenAI),
        "ollama" => new("http://localhost:11434/v1", ProviderAuth.None, ApiFormat.OpenAI),
        "google" or "gemini" => Gemini,
        _ => null,
    };
}
