namespace Cllama.Providers;

/// <summary>The request and response dialect a provider speaks: "openai" or "anthropic".</summary>
public enum ApiFormat
{
    OpenAI,
    Anthropic,
}
