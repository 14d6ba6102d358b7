using Cllama.Usage;

namespace Cllama.Costs;

/// <summary>Turns a response's usage and its model's price into a cost, all in decimal.</summary>
public static class CostCalculator
{
    const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// A reported cost wins. Otherwise an unpriced model, or a priced one whose response carried no usage at all,
    /// is unknown (null) — except a free model, which costs 0 whatever it used. An interrupted response
    /// (<paramref name="partial"/>) with usage is priced but marked estimated.
    /// </summary>
    public static (decimal? CostUsd, CostSource Source) Compute(UsageReport usage, ModelPrice? price, bool partial)
    {
        if (usage.ReportedCostUsd is decimal reported)
            return (reported, CostSource.Reported);
        if (price is null || (!usage.Seen && !price.IsFree))
            return (null, CostSource.Unknown);
        return (Price(usage, price), partial ? CostSource.Estimated : CostSource.Computed);
    }

    static decimal Price(UsageReport usage, ModelPrice price)
    {
        decimal input = price.Input, output = price.Output;
        decimal cacheRead = price.CacheRead ?? price.Input, cacheWrite = price.CacheWrite ?? price.Input;
        if (price.LongContext is { } rule && usage.InputTokens > rule.AboveInputTokens)
        {
            input *= rule.InputMultiplier;
            cacheRead *= rule.InputMultiplier;
            cacheWrite *= rule.InputMultiplier;
            output *= rule.OutputMultiplier;
        }
        // Cached and cache-written tokens are part of the input count; a provider reporting more of them than
        // input tokens must not make the uncached part negative.
        long uncached = Math.Max(0, usage.InputTokens - usage.CachedReadTokens - usage.CacheWriteTokens);
        return (uncached * input + usage.CachedReadTokens * cacheRead + usage.CacheWriteTokens * cacheWrite
            + usage.OutputTokens * output) / PerMillion;
    }
}
