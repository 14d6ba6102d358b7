using System.Text;
using Cllama.Governance;

namespace Cllama.Tests.Governance;

public class PolicyFileTests
{
    static PolicyDocument Parse(string json) => PolicyFile.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Reads_defaults_and_agents_with_the_metadata_fields()
    {
        var doc = Parse("""
            // operator policy
            {"defaults":{"budget":{"limit_usd":5.0,"window":"24h"},"models":["openai/gpt-4o-mini"]},
             "agents":{"tiverton":{"budget":{"limit_usd":0.25,"window":"month"}},
                       "westin":{"models":["anthropic/claude-*","openai/*"],},
                       "allen":{"budget":null,"models":null}}}
            """);
        Assert.True(doc.Defaults.HasBudget);
        Assert.Equal(5.0m, doc.Defaults.Budget!.LimitUsd);
        Assert.Equal("24h", doc.Defaults.Budget.Window);
        Assert.Equal(new[] { "openai/gpt-4o-mini" }, doc.Defaults.Models!);
        Assert.Equal(0.25m, doc.Agents["tiverton"].Budget!.LimitUsd);
        Assert.False(doc.Agents["tiverton"].HasModels);
        Assert.Equal(new[] { "anthropic/claude-*", "openai/*" }, doc.Agents["westin"].Models!);
        Assert.False(doc.Agents["westin"].HasBudget);
        Assert.True(doc.Agents["allen"].HasBudget);
        Assert.Null(doc.Agents["allen"].Budget);
        Assert.True(doc.Agents["allen"].HasModels);
        Assert.Null(doc.Agents["allen"].Models);
    }

    [Fact]
    public void An_empty_object_is_no_policy() => Assert.True(Parse("{}").IsEmpty);

    [Theory]
    [InlineData("{not json", "invalid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("""{"default":{}}""", "unknown key \"default\"")]
    [InlineData("""{"agents":{"tiverton":{"budgt":{"limit_usd":1,"window":"24h"}}}}""", "agents.tiverton: unknown key \"budgt\"")]
    [InlineData("""{"agents":{"tiverton":{"budget":{"limit_usd":-1,"window":"24h"}}}}""", "agents.tiverton: \"budget.limit_usd\"")]
    [InlineData("""{"defaults":{"budget":{"limit_usd":1,"window":"1h"}}}""", "defaults: \"budget.window\"")]
    [InlineData("""{"defaults":{"budget":{"limit_usd":"1","window":"24h"}}}""", "budget.limit_usd")]
    [InlineData("""{"defaults":{"models":"openai/*"}}""", "defaults.models: expected an array")]
    [InlineData("""{"defaults":{"models":["gpt-4o"]}}""", "\"gpt-4o\" has no provider")]
    [InlineData("""{"defaults":{"models":[""]}}""", "non-empty strings")]
    [InlineData("""{"agents":{"../etc":{}}}""", "not a valid agent id")]
    [InlineData("""{"agents":[]}""", "\"agents\" must be an object")]
    [InlineData("""{"agents":{"a":{},"a":{}}}""", "appears twice")]
    [InlineData("""{"defaults":{"models":[],"models":["openai/*"]}}""", "appears twice")]
    [InlineData("""{"defaults":[]}""", "defaults: expected an object")]
    public void A_bad_file_says_where_the_problem_is(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Parse(json));
        Assert.Contains(expected, e.Message);
    }
}
