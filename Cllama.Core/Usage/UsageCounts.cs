namespace Cllama.Usage;

/// <summary>
/// Usage fields as read, merged over every usage object of one response. Providers name them differently:
/// <c>prompt_tokens</c>/<c>input_tokens</c> → <see cref="Input"/>, <c>completion_tokens</c>/<c>output_tokens</c> →
/// <see cref="Output"/>, <c>*_tokens_details.cached_tokens</c>/<c>cache_read_input_tokens</c> → <see cref="CacheRead"/>,
/// <c>cache_creation_input_tokens</c>/<c>prompt_tokens_details.cache_write_tokens</c> → <see cref="CacheWrite"/>.
/// </summary>
internal struct UsageCounts
{
    public long Input;
    /// <summary>-1 until some usage object names an output count.</summary>
    public long Output;
    public long CacheRead;
    public long CacheWrite;
    public decimal? Cost;

    public static UsageCounts Empty => new() { Output = -1 };

    /// <summary>
    /// Folds a later usage object into this one. Anthropic's <c>message_delta</c> repeats the output count
    /// cumulatively (the last one wins) and may repeat input and cache counts, sometimes as zeros: input-side
    /// counts are only taken when non-zero, so a later zero never erases the <c>message_start</c> figure.
    /// </summary>
    public void Merge(in UsageCounts later)
    {
        if (later.Input > 0)
            Input = later.Input;
        if (later.CacheRead > 0)
            CacheRead = later.CacheRead;
        if (later.CacheWrite > 0)
            CacheWrite = later.CacheWrite;
        if (later.Output >= 0)
            Output = later.Output;
        if (later.Cost is not null)
            Cost = later.Cost;
    }

    /// <summary>
    /// OpenAI counts (chat, Responses, embeddings) already include cached tokens in the input; Anthropic's
    /// <c>input_tokens</c> excludes both cache reads and cache writes.
    /// </summary>
    public readonly UsageReport ToReport(UsageDialect dialect, bool seen) => new()
    {
        InputTokens = dialect == UsageDialect.Anthropic ? Input + CacheRead + CacheWrite : Input,
        OutputTokens = Math.Max(Output, 0),
        CachedReadTokens = CacheRead,
        CacheWriteTokens = CacheWrite,
        ReportedCostUsd = Cost,
        Seen = seen,
    };
}
