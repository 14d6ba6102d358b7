using Cllama.Costs;

namespace Cllama.Governance;

/// <summary>
/// The most a request can cost, worked out from its body before it is sent: what its budget must hold in reserve.
/// A bound, not an average: a budget holds under concurrency only if no request can cost more than it reserved.
/// </summary>
/// <param name="InputUsd">The input side at its dearest rate.</param>
/// <param name="OutputUsdPerToken">One output token, times the number of choices asked for (<c>n</c>).</param>
/// <param name="MaxOutputTokens">The output cap the body sets; null when it sets none (or one we cannot read).</param>
/// <param name="CanClamp">Whether an output cap may be added to the body when the budget cannot cover the ceiling.</param>
public readonly record struct CostBound(decimal InputUsd, decimal OutputUsdPerToken, long? MaxOutputTokens, bool CanClamp)
{
    /// <summary>
    /// Input tokens per body byte: one. Byte-level BPE tokenizers (OpenAI's, Anthropic's) emit at least one byte per
    /// token, and JSON only adds bytes around the text, so no text body has more tokens than bytes. Ratios such as
    /// bytes/3 or /4 are averages for English; CJK text, base64, digits and code routinely run denser, and an average
    /// would let concurrent requests overshoot. The price is over-reserving 3–4× for English input, which only
    /// matters near the limit.
    /// </summary>
    public const long InputTokensPerByte = 1;

    /// <summary>What a provider adds around the body: chat-template tokens, Anthropic's ~350-token tool-use prompt.</summary>
    public const long ProviderOverheadTokens = 512;

    /// <summary>Output tokens a request without a cap may produce: the largest output limit of current models (GPT-5: 128k).</summary>
    public const long OutputCeilingTokens = 128_000;

    /// <summary>
    /// The largest cap the proxy writes into a body. A cap above the model's own limit is a provider 400, and the
    /// proxy does not know each model's limit; 16,384 is what GPT-4o and most current models accept.
    /// </summary>
    public const long MaxInjectedOutputTokens = 16_384;

    /// <summary>Below this an answer is useless: refusing beats paying for the input of a truncated reply.</summary>
    public const long MinOutputTokens = 16;

    const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// The bound for a body of <paramref name="bodyBytes"/> bytes at <paramref name="price"/>. Input is priced at the
    /// dearest input rate (a cache write can cost more than plain input), and at long-context rates when the bound
    /// crosses the model's threshold.
    /// </summary>
    public static CostBound For(ModelPrice price, long bodyBytes, RequestKind kind, long? maxOutputTokens, bool canClamp, int choices)
    {
        long inputTokens = bodyBytes * InputTokensPerByte + ProviderOverheadTokens;
        decimal inputRate = Math.Max(price.Input, Math.Max(price.CacheRead ?? 0m, price.CacheWrite ?? 0m));
        decimal outputRate = kind == RequestKind.InputOnly ? 0m : price.Output;
        if (price.LongContext is { } rule && inputTokens > rule.AboveInputTokens)
        {
            inputRate *= Math.Max(1m, rule.InputMultiplier);
            outputRate *= Math.Max(1m, rule.OutputMultiplier);
        }
        return new CostBound(inputTokens * inputRate / PerMillion, outputRate * Math.Max(1, choices) / PerMillion,
            kind == RequestKind.InputOnly ? 0 : maxOutputTokens, canClamp && maxOutputTokens is null);
    }

    /// <summary>The least this request can be admitted with: its own cap, the smallest clamp, or the ceiling.</summary>
    public decimal LeastUsd => InputUsd + OutputUsdPerToken * (MaxOutputTokens ?? (CanClamp ? MinOutputTokens : OutputCeilingTokens));

    /// <summary>
    /// Fits the request into <paramref name="availableUsd"/>: its worst case as asked, or with an output cap that fits
    /// (<paramref name="clampTo"/>), or not at all.
    /// </summary>
    public bool TryFit(decimal availableUsd, out decimal worstUsd, out long? clampTo)
    {
        clampTo = null;
        if (MaxOutputTokens is long max)
        {
            worstUsd = InputUsd + max * OutputUsdPerToken;
            return worstUsd <= availableUsd;
        }
        worstUsd = InputUsd + OutputCeilingTokens * OutputUsdPerToken;
        if (worstUsd <= availableUsd)
            return true;
        if (!CanClamp || OutputUsdPerToken == 0 || availableUsd <= InputUsd)
            return false;
        long affordable = (long)Math.Min(MaxInjectedOutputTokens, decimal.Floor((availableUsd - InputUsd) / OutputUsdPerToken));
        if (affordable < MinOutputTokens)
            return false;
        clampTo = affordable;
        worstUsd = InputUsd + affordable * OutputUsdPerToken;
        return true;
    }
}
