using Cllama.Costs;

namespace Cllama.Tests.Costs;

public class PricingTableTests
{
    static readonly PricingTable Table = PricingTable.BuiltIn();

    /// <summary>Every row of prices.md (checked 2026-08): provider, model, input, output.</summary>
    public static TheoryData<string, string, decimal, decimal> PriceSheet => new()
    {
        { "anthropic", "claude-opus-5", 5m, 25m },
        { "anthropic", "claude-sonnet-5", 3m, 15m },
        { "anthropic", "claude-fable-5", 10m, 50m },
        { "anthropic", "claude-opus-4-6", 15m, 75m },
        { "anthropic", "claude-opus-4", 15m, 75m },
        { "anthropic", "claude-sonnet-4-6", 3m, 15m },
        { "anthropic", "claude-sonnet-4", 3m, 15m },
        { "anthropic", "claude-haiku-4-5", 1m, 5m },
        { "anthropic", "claude-3-5-haiku-20241022", 0.80m, 4m },
        { "anthropic", "claude-haiku-3-5", 0.80m, 4m },
        { "openai", "gpt-5.6", 5m, 30m },
        { "openai", "gpt-5.6-sol", 5m, 30m },
        { "openai", "gpt-5.6-terra", 2m, 12m },
        { "openai", "gpt-5.6-luna", 0.20m, 1.20m },
        { "openai", "gpt-5-pro", 15m, 120m },
        { "openai", "gpt-4.1", 2m, 8m },
        { "openai", "gpt-4.1-mini", 0.40m, 1.60m },
        { "openai", "gpt-4.1-nano", 0.10m, 0.40m },
        { "openai", "gpt-4o", 2.50m, 10m },
        { "openai", "gpt-4o-mini", 0.15m, 0.60m },
        { "openai", "o3", 2m, 8m },
        { "openai", "o4-mini", 1.10m, 4.40m },
        { "openrouter", "anthropic/claude-sonnet-4", 3m, 15m },
        { "openrouter", "anthropic/claude-haiku-4.5", 1m, 5m },
        { "openrouter", "google/gemini-2.5-pro", 1.25m, 10m },
        { "openrouter", "google/gemini-2.5-flash", 0.30m, 2.50m },
        { "google", "gemini-3.6-flash", 1.50m, 7.50m },
        { "google", "gemini-2.5-pro", 1.25m, 10m },
        { "google", "gemini-2.5-flash", 0.30m, 2.50m },
        { "ollama", "llama3.2:latest", 0m, 0m },
    };

    [Theory]
    [MemberData(nameof(PriceSheet))]
    public void Every_price_sheet_row_is_built_in_with_a_source(string provider, string model, decimal input, decimal output)
    {
        var price = Table.Lookup(provider, model);
        Assert.NotNull(price);
        Assert.Equal((input, output), (price.Input, price.Output));
        Assert.False(string.IsNullOrWhiteSpace(price.Source));
    }

    [Fact]
    public void Anthropic_cache_rates_are_a_tenth_and_five_quarters_of_input()
    {
        var price = Table.Lookup("anthropic", "claude-sonnet-4")!;
        Assert.Equal((0.30m, 3.75m), (price.CacheRead, price.CacheWrite));
    }

    [Theory]
    [InlineData("gpt-4o", 1.25)]
    [InlineData("gpt-4o-mini", 0.075)]
    [InlineData("gpt-4.1", 0.50)]
    [InlineData("gpt-4.1-nano", 0.025)]
    [InlineData("o3", 0.50)]
    [InlineData("o4-mini", 0.275)]
    [InlineData("gpt-5.6", 0.50)]
    public void OpenAI_cached_input_rates(string model, decimal cached)
    {
        var price = Table.Lookup("openai", model)!;
        Assert.Equal(cached, price.CacheRead);
        Assert.Null(price.CacheWrite);
    }

    [Theory]
    [InlineData("anthropic", "claude-sonnet-4-20250514", "anthropic", "claude-sonnet-4")]
    [InlineData("anthropic", "claude-sonnet-4@20250514", "anthropic", "claude-sonnet-4")]
    [InlineData("anthropic", "claude-opus-4-1-20250805", "anthropic", "claude-opus-4")]
    [InlineData("anthropic", "claude-opus-4-6-20260101", "anthropic", "claude-opus-4-6")]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", "openai", "gpt-4o-mini")]
    [InlineData("openai", "gpt-4o-2024-08-06", "openai", "gpt-4o")]
    [InlineData("openai", "gpt-4.1-2025-04-14", "openai", "gpt-4.1")]
    [InlineData("openai", "o3-2025-04-16", "openai", "o3")]
    [InlineData("openai", "o3-pro-2025-06-10", "openai", "o3-pro")]
    [InlineData("openai", "gpt-5.6.1", "openai", "gpt-5.6")]
    [InlineData("openai", "gpt-5.6-luna-2026-07-01", "openai", "gpt-5.6-luna")]
    [InlineData("openrouter", "anthropic/claude-sonnet-4:beta", "openrouter", "anthropic/claude-sonnet-4")]
    [InlineData("OpenAI", "GPT-4o", "openai", "gpt-4o")]
    public void Longest_prefix_ending_at_a_boundary(string provider, string model, string keyProvider, string keyModel)
    {
        Assert.Same(Table.Lookup(keyProvider, keyModel), Table.Lookup(provider, model));
    }

    [Fact]
    public void O3_pro_and_o3_mini_are_not_priced_as_o3()
    {
        var o3 = Table.Lookup("openai", "o3")!;
        Assert.NotEqual(o3, Table.Lookup("openai", "o3-pro"));
        Assert.NotEqual(o3, Table.Lookup("openai", "o3-mini"));
        Assert.Equal(20m, Table.Lookup("openai", "o3-pro")!.Input);
        Assert.Equal(1.10m, Table.Lookup("openai", "o3-mini-2025-01-31")!.Input);
    }

    [Theory]
    [InlineData("openai", "gpt-4omni")]          // no boundary after gpt-4o
    [InlineData("openai", "o3x")]
    [InlineData("openai", "gpt-3.5-turbo")]
    [InlineData("openai", "gpt-4")]              // shorter than any key
    [InlineData("anthropic", "claude-opus")]
    [InlineData("acme", "gpt-4o")]               // unknown provider
    [InlineData("openai", "o4-mini-deep-research-2025-06-26")] // known unpriced: not o4-mini
    [InlineData("openai", "gpt-4o-realtime-preview")]
    [InlineData("google", "gemini-2.5-flash-lite")]
    [InlineData("openrouter", "google/gemini-2.5-flash-lite")]
    [InlineData("openrouter", "mistralai/mistral-large")]
    public void Unknown_and_known_unpriced_models_are_null(string provider, string model)
    {
        Assert.Null(Table.Lookup(provider, model));
    }

    [Fact]
    public void Ollama_models_are_free_not_unpriced()
    {
        var price = Table.Lookup("ollama", "qwen2.5-coder:7b");
        Assert.NotNull(price);
        Assert.True(price.IsFree);
        Assert.Equal("ollama local", price.Source);
    }

    [Fact]
    public void OpenRouter_models_fall_back_to_the_vendor_table()
    {
        Assert.Same(Table.Lookup("google", "gemini-3.6-flash"), Table.Lookup("openrouter", "google/gemini-3.6-flash"));
        Assert.Same(Table.Lookup("openai", "gpt-4o"), Table.Lookup("openrouter", "openai/gpt-4o"));
        Assert.Same(Table.Lookup("anthropic", "claude-opus-4"), Table.Lookup("openrouter", "anthropic/claude-opus-4"));
        // The OpenRouter row wins over the vendor's when it matches as much of the name.
        Assert.Same(Table.Lookup("openrouter", "google/gemini-2.5-pro"), Table.Lookup("openrouter", "google/gemini-2.5-pro-preview"));
    }

    [Fact]
    public void Gemini_is_an_alias_of_google()
    {
        Assert.Equal(Table.Lookup("google", "gemini-2.5-pro"), Table.Lookup("gemini", "gemini-2.5-pro"));
    }

    [Fact]
    public void Long_context_rules()
    {
        foreach (var model in new[] { "gpt-5.6", "gpt-5.6-sol", "gpt-5.6-terra", "gpt-5.6-luna" })
            Assert.Equal(new LongContextRule(272_000, 2m, 1.5m), Table.Lookup("openai", model)!.LongContext);
        Assert.Null(Table.Lookup("openai", "gpt-4o")!.LongContext);
    }

    [Fact]
    public void Very_long_model_names_are_looked_up_too()
    {
        Assert.Same(Table.Lookup("openai", "gpt-4o"), Table.Lookup("openai", "gpt-4o-" + new string('x', 400)));
    }
}
