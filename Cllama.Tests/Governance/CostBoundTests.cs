using Cllama.Costs;
using Cllama.Governance;

namespace Cllama.Tests.Governance;

public class CostBoundTests
{
    // $0.001 per input token, $0.002 per output token: the arithmetic stays readable.
    static readonly ModelPrice Price = new(1000m, 2000m, null, null, "test");

    // 488 body bytes + 512 overhead = 1000 input tokens = $1.00.
    static CostBound Bound(long? maxTokens = null, bool canClamp = true, int choices = 1, RequestKind kind = RequestKind.Generation) =>
        CostBound.For(Price, 488, kind, maxTokens, canClamp, choices);

    [Fact]
    public void Input_is_one_token_per_body_byte_plus_the_provider_overhead()
    {
        var b = Bound();
        Assert.Equal(1.000m, b.InputUsd);
        Assert.Equal(0.002m, b.OutputUsdPerToken);
    }

    [Fact]
    public void A_body_cap_is_the_worst_case_and_must_fit_whole()
    {
        var b = Bound(maxTokens: 100);
        Assert.True(b.TryFit(1.2m, out decimal worst, out long? clamp));
        Assert.Equal(1.2m, worst);
        Assert.Null(clamp);
        Assert.False(b.TryFit(1.1999m, out _, out _));
        Assert.Equal(1.2m, b.LeastUsd);
    }

    [Fact]
    public void Without_a_cap_the_ceiling_is_reserved_when_it_fits()
    {
        var b = Bound();
        Assert.True(b.TryFit(300m, out decimal worst, out long? clamp));
        Assert.Null(clamp);
        Assert.Equal(1m + CostBound.OutputCeilingTokens * 0.002m, worst);
    }

    [Theory]
    [InlineData("10", 4500L)]        // (10 - 1) / 0.002
    [InlineData("1.0321", 16L)]      // floor(0.0321 / 0.002) = 16, the least worth sending
    [InlineData("100", 16384L)]      // affordable 49,500, but never more than the injected maximum
    [InlineData("256.99", 16384L)]   // just short of the ceiling's 257
    public void Otherwise_the_cap_added_is_what_the_budget_affords(string available, long expected)
    {
        var b = Bound();
        Assert.True(b.TryFit(decimal.Parse(available, System.Globalization.CultureInfo.InvariantCulture), out decimal worst, out long? clamp));
        Assert.Equal(expected, clamp);
        Assert.Equal(1m + expected * 0.002m, worst);
    }

    [Theory]
    [InlineData("1.0319")]   // 15 tokens: not worth paying the input for
    [InlineData("1")]        // nothing left after the input
    [InlineData("0.5")]
    public void Too_little_for_a_useful_answer_is_refused(string available)
    {
        var b = Bound();
        Assert.False(b.TryFit(decimal.Parse(available, System.Globalization.CultureInfo.InvariantCulture), out _, out long? clamp));
        Assert.Null(clamp);
        Assert.Equal(1m + CostBound.MinOutputTokens * 0.002m, b.LeastUsd);
    }

    [Fact]
    public void A_body_whose_cap_cannot_be_read_or_set_must_fit_the_ceiling()
    {
        var b = Bound(canClamp: false);
        Assert.False(b.TryFit(256m, out _, out _));
        Assert.True(b.TryFit(257m, out _, out long? clamp));
        Assert.Null(clamp);
        Assert.Equal(257m, b.LeastUsd);
    }

    [Fact]
    public void Every_choice_is_paid_for()
    {
        var b = Bound(maxTokens: 100, choices: 3);
        Assert.Equal(0.006m, b.OutputUsdPerToken);
        Assert.True(b.TryFit(1.6m, out decimal worst, out _));
        Assert.Equal(1.6m, worst);
        Assert.True(Bound(choices: 3).TryFit(10m, out _, out long? clamp));
        Assert.Equal(1500, clamp);
    }

    [Fact]
    public void Input_only_routes_reserve_their_input()
    {
        var b = Bound(maxTokens: 999, kind: RequestKind.InputOnly);
        Assert.Equal(0m, b.OutputUsdPerToken);
        Assert.True(b.TryFit(1m, out decimal worst, out long? clamp));
        Assert.Equal(1m, worst);
        Assert.Null(clamp);
    }

    [Fact]
    public void Input_is_priced_at_the_dearest_input_rate()
    {
        var anthropic = new ModelPrice(3m, 15m, 0.3m, 3.75m, "test");
        var b = CostBound.For(anthropic, 999_488, RequestKind.Generation, 0, true, 1);
        Assert.Equal(3.75m, b.InputUsd); // 1,000,000 tokens at the cache-write rate
    }

    [Fact]
    public void Long_context_rates_apply_once_the_bound_crosses_the_threshold()
    {
        var gpt = new ModelPrice(5m, 30m, null, null, "test") { LongContext = new LongContextRule(272_000, 2m, 1.5m) };
        var below = CostBound.For(gpt, 271_488, RequestKind.Generation, 10, true, 1);
        Assert.Equal(272_000 * 5m / 1_000_000, below.InputUsd);
        Assert.Equal(30m / 1_000_000, below.OutputUsdPerToken);
        var above = CostBound.For(gpt, 271_489, RequestKind.Generation, 10, true, 1);
        Assert.Equal(272_001 * 10m / 1_000_000, above.InputUsd);
        Assert.Equal(45m / 1_000_000, above.OutputUsdPerToken);
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"x","n":4}""", 4)]
    [InlineData("/v1/chat/completions", """{"model":"x","n":1}""", 1)]
    [InlineData("/v1/chat/completions", """{"model":"x"}""", 1)]
    [InlineData("/v1/chat/completions", """{"model":"x","n":"4","meta":{"n":9}}""", 1)]
    [InlineData("/v1/completions", """{"model":"x","n":2,"best_of":5}""", 5)]
    [InlineData("/v1/messages", """{"model":"x","n":4}""", 1)]
    [InlineData("/v1/chat/completions", """{"model":"x","\u006e":6}""", 6)]
    [InlineData("/v1/chat/completions", """{"model":"x","messages":[{"role":"user","content":"n"}]}""", 1)]
    public void Choices_are_read_from_top_level_n_and_best_of(string path, string body, int expected) =>
        Assert.Equal(expected, RequestShape.Choices(path, System.Text.Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("/v1/chat/completions", "openai", "max_completion_tokens")]
    [InlineData("/v1/chat/completions", "openrouter", "max_tokens")]
    [InlineData("/v1/messages", "anthropic", "max_tokens")]
    [InlineData("/v1/responses", "openai", "max_output_tokens")]
    [InlineData("/v1/completions", "openai", "max_tokens")]
    [InlineData("/v1/images/generations", "openai", null)]
    public void The_cap_goes_under_the_key_the_route_understands(string path, string provider, string? key) =>
        Assert.Equal(key, RequestShape.ClampKey(path, provider));
}
