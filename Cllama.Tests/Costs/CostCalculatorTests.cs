using Cllama.Costs;
using Cllama.Usage;

namespace Cllama.Tests.Costs;

public class CostCalculatorTests
{
    static readonly PricingTable Table = PricingTable.BuiltIn();

    [Fact]
    public void Cached_tokens_are_charged_at_the_cached_rate()
    {
        var usage = new UsageReport { InputTokens = 1_000_000, CachedReadTokens = 400_000, OutputTokens = 100_000, Seen = true };
        // 600k × 2.50 + 400k × 1.25 + 100k × 10, per million.
        Assert.Equal((3.0m, CostSource.Computed), CostCalculator.Compute(usage, Table.Lookup("openai", "gpt-4o"), partial: false));
    }

    [Fact]
    public void Anthropic_cache_reads_and_writes()
    {
        var usage = new UsageReport { InputTokens = 3025, CachedReadTokens = 2000, CacheWriteTokens = 1000, OutputTokens = 15, Seen = true };
        // (25 × 3 + 2000 × 0.30 + 1000 × 3.75 + 15 × 15) / 1e6
        Assert.Equal(0.00465m, CostCalculator.Compute(usage, Table.Lookup("anthropic", "claude-sonnet-4-20250514"), false).CostUsd);
    }

    [Fact]
    public void Without_a_cached_rate_cached_tokens_cost_the_input_rate()
    {
        var price = new ModelPrice(2m, 4m, null, null, "test");
        var usage = new UsageReport { InputTokens = 1000, CachedReadTokens = 500, CacheWriteTokens = 100, OutputTokens = 10, Seen = true };
        Assert.Equal(0.00204m, CostCalculator.Compute(usage, price, false).CostUsd);
    }

    [Fact]
    public void Long_context_multipliers_apply_above_the_threshold_only()
    {
        var price = Table.Lookup("openai", "gpt-5.6");
        var at = new UsageReport { InputTokens = 272_000, OutputTokens = 10_000, Seen = true };
        var above = at with { InputTokens = 300_000, CachedReadTokens = 100_000 };
        Assert.Equal(1.66m, CostCalculator.Compute(at, price, false).CostUsd);
        // (200k × 10 + 100k × 1.00 + 10k × 45) / 1e6
        Assert.Equal(2.55m, CostCalculator.Compute(above, price, false).CostUsd);
    }

    [Fact]
    public void Arithmetic_is_exact_decimal()
    {
        var usage = new UsageReport { InputTokens = 1, CachedReadTokens = 1, Seen = true };
        Assert.Equal(0.000000025m, CostCalculator.Compute(usage, Table.Lookup("openai", "gpt-4.1-nano"), false).CostUsd);
        var many = new UsageReport { InputTokens = 3, OutputTokens = 7, Seen = true };
        Assert.Equal(0.0000045m, CostCalculator.Compute(many, new ModelPrice(0.1m, 0.6m, null, null, "t"), false).CostUsd);
    }

    [Fact]
    public void A_reported_cost_is_preferred_even_over_a_price()
    {
        var usage = new UsageReport { InputTokens = 10, OutputTokens = 5, ReportedCostUsd = 0.000123m, Seen = true };
        Assert.Equal((0.000123m, CostSource.Reported), CostCalculator.Compute(usage, Table.Lookup("openrouter", "anthropic/claude-sonnet-4"), false));
        Assert.Equal((0.000123m, CostSource.Reported), CostCalculator.Compute(usage, null, true));
    }

    [Fact]
    public void Unpriced_is_unknown_never_zero()
    {
        var usage = new UsageReport { InputTokens = 10, OutputTokens = 5, Seen = true };
        Assert.Equal((null, CostSource.Unknown), CostCalculator.Compute(usage, null, false));
    }

    [Fact]
    public void A_partial_response_is_estimated()
    {
        var usage = new UsageReport { InputTokens = 1_000_000, OutputTokens = 0, Seen = true };
        Assert.Equal((2.50m, CostSource.Estimated), CostCalculator.Compute(usage, Table.Lookup("openai", "gpt-4o"), partial: true));
    }

    [Fact]
    public void No_usage_seen_is_unknown_unless_the_model_is_free()
    {
        Assert.Equal((null, CostSource.Unknown), CostCalculator.Compute(UsageReport.None, Table.Lookup("openai", "gpt-4o"), false));
        Assert.Equal((null, CostSource.Unknown), CostCalculator.Compute(UsageReport.None, Table.Lookup("openai", "gpt-4o"), true));
        Assert.Equal((0m, CostSource.Computed), CostCalculator.Compute(UsageReport.None, Table.Lookup("ollama", "llama3"), false));
    }

    [Fact]
    public void More_cached_than_input_tokens_never_goes_negative()
    {
        var usage = new UsageReport { InputTokens = 10, CachedReadTokens = 20, Seen = true };
        var (cost, _) = CostCalculator.Compute(usage, new ModelPrice(1m, 1m, 0.5m, null, "t"), false);
        Assert.Equal(0.00001m, cost);
    }
}
