using System.Diagnostics;
using Cllama.Governance;

namespace Cllama.Tests.Governance;

public class ModelGlobTests
{
    [Theory]
    [InlineData("openai/gpt-4o-mini", "openai/gpt-4o-mini", true)]
    [InlineData("openai/gpt-4o-mini", "openai/gpt-4o", false)]
    [InlineData("openai/gpt-4o", "openai/gpt-4o-mini", false)]
    [InlineData("anthropic/claude-*", "anthropic/claude-sonnet-4-20250514", true)]
    [InlineData("anthropic/claude-*", "anthropic/claude-", true)]
    [InlineData("anthropic/claude-*", "anthropic/claud", false)]
    [InlineData("anthropic/claude-*", "openrouter/anthropic/claude-sonnet-4", false)]
    [InlineData("openrouter/*", "openrouter/anthropic/claude-sonnet-4", true)]
    [InlineData("*/gpt-4o", "openai/gpt-4o", true)]
    [InlineData("*/gpt-4o", "openrouter/openai/gpt-4o", true)]
    [InlineData("*/gpt-4o", "openai/gpt-4o-mini", false)]
    [InlineData("openai/gpt-*-mini", "openai/gpt-4o-mini", true)]
    [InlineData("openai/gpt-*-mini", "openai/gpt-4.1-mini", true)]
    [InlineData("openai/gpt-*-mini", "openai/gpt-4o-mini-2024", false)]
    [InlineData("openai/*mini*", "openai/o4-mini-high", true)]
    [InlineData("*", "anything/at-all", true)]
    [InlineData("**", "x/y", true)]
    [InlineData("OpenAI/GPT-4o", "openai/gpt-4o", true)]
    [InlineData("openai/gpt-4o", "OPENAI/GPT-4O", true)]
    [InlineData("ollama/llama3", "ollama/llama3.1", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    [InlineData("", "", true)]
    [InlineData("", "x", false)]
    public void Matches_star_as_any_run_of_characters(string pattern, string text, bool expected) =>
        Assert.Equal(expected, ModelGlob.IsMatch(pattern, text));

    [Fact]
    public void A_hostile_model_name_stays_cheap_to_check()
    {
        string pattern = "a*a*a*a*a*a*a*a*b";
        string text = new('a', 20_000);
        var watch = Stopwatch.StartNew();
        Assert.False(ModelGlob.IsMatch(pattern, text));
        // Backtracking glob matchers go exponential here; this one is at most pattern × text steps.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("openai/gpt-4o-mini", true)]
    [InlineData("anthropic/*", true)]
    [InlineData("*/gpt-4o", true)]
    [InlineData("*", true)]
    [InlineData("gpt-4o", false)]
    [InlineData("openai/", false)]
    [InlineData("/gpt-4o", false)]
    [InlineData("claude-*", false)]
    public void A_pattern_must_name_a_provider(string pattern, bool wellFormed) =>
        Assert.Equal(wellFormed, ModelGlob.IsWellFormed(pattern));

    [Fact]
    public void Allowlist_matches_provider_slash_model()
    {
        var list = new ModelAllowlist(["openai/gpt-4o-mini", "anthropic/claude-*"]);
        Assert.True(list.Allows("openai", "gpt-4o-mini"));
        Assert.True(list.Allows("anthropic", "claude-haiku-4-5"));
        Assert.False(list.Allows("openai", "gpt-4o"));
        Assert.False(list.Allows("openrouter", "anthropic/claude-sonnet-4"));
        Assert.True(list.Allows("anthropic", "claude-" + new string('x', 1000)));
        Assert.Equal("openai/gpt-4o-mini, anthropic/claude-*", list.Describe());
    }

    [Fact]
    public void An_empty_allowlist_allows_nothing()
    {
        var list = new ModelAllowlist([]);
        Assert.False(list.Allows("openai", "gpt-4o"));
        Assert.Equal("none", list.Describe());
    }
}
