namespace Cllama.Usage;

/// <summary>
/// Which API shape a response has. It decides whether <c>usage.input_tokens</c> already includes cached tokens
/// (OpenAI Responses API: yes; Anthropic: no) and which wrapper object an SSE event may carry usage in.
/// </summary>
public enum UsageDialect { OpenAI, Anthropic }
