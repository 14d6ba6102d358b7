namespace Cllama.Costs;

/// <summary>
/// A model's list price in USD per million tokens. A null cache rate means the provider publishes none: those
/// tokens are charged at the input rate. <see cref="Source"/> says where the figures came from and when.
/// </summary>
public sealed record ModelPrice(decimal Input, decimal Output, decimal? CacheRead, decimal? CacheWrite, string Source)
{
    /// <summary>Higher rates for the whole request once its input passes a threshold (GPT-5.6, Gemini 2.5 Pro).</summary>
    public LongContextRule? LongContext { get; init; }

    /// <summary>Whether every rate is zero (local models): such a request costs nothing whatever its usage.</summary>
    public bool IsFree => Input == 0 && Output == 0 && CacheRead is null or 0 && CacheWrite is null or 0;
}

/// <summary>
/// Above <see cref="AboveInputTokens"/> input tokens (all input, cached included) input-side rates (cache rates too)
/// are multiplied by <see cref="InputMultiplier"/> and the output rate by <see cref="OutputMultiplier"/>.
/// </summary>
public sealed record LongContextRule(long AboveInputTokens, decimal InputMultiplier, decimal OutputMultiplier);
