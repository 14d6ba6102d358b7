namespace Cllama.Usage;

/// <summary>
/// The tokens one response used, normalised across dialects: <see cref="InputTokens"/> counts every input token,
/// cached reads and cache writes included, so cost is always (input − cached − written) at the input rate plus the
/// cached parts at their own rates.
/// </summary>
public sealed record UsageReport
{
    /// <summary>All input tokens, cached and cache-written ones included.</summary>
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    /// <summary>Input tokens served from a prompt cache (part of <see cref="InputTokens"/>).</summary>
    public long CachedReadTokens { get; init; }
    /// <summary>Input tokens written to a prompt cache (part of <see cref="InputTokens"/>).</summary>
    public long CacheWriteTokens { get; init; }
    /// <summary>The cost the provider reported itself (OpenRouter <c>usage.cost</c>), in USD.</summary>
    public decimal? ReportedCostUsd { get; init; }
    /// <summary>Whether the response carried any usage object at all.</summary>
    public bool Seen { get; init; }

    public static UsageReport None { get; } = new();
}
