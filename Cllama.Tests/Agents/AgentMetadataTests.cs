using System.Text;
using Cllama.Agents;

namespace Cllama.Tests.Agents;

public class AgentMetadataTests
{
    static (bool Ok, Agent? Agent, string? Secret, string? Error) Parse(string json, string id = "tiverton")
    {
        bool ok = AgentMetadata.TryParse(id, Encoding.UTF8.GetBytes(json), out var agent, out var secret, out var error);
        return (ok, agent, secret?.Reveal(), error);
    }

    [Fact]
    public void Seed_metadata_parses()
    {
        var r = Parse("""{"token":"tiverton:abc123","pod":"trading-desk","service":"tiverton","type":"openclaw"}""");
        Assert.True(r.Ok);
        Assert.Equal(new Agent("tiverton", "trading-desk", "tiverton", "openclaw", AgentPolicy.None), r.Agent);
        Assert.Equal("abc123", r.Secret);
    }

    [Fact]
    public void Bare_secret_is_the_whole_token()
    {
        var r = Parse("""{"token":"abc123"}""");
        Assert.True(r.Ok);
        Assert.Equal("abc123", r.Secret);
        Assert.Equal("", r.Agent!.Pod);
    }

    [Fact]
    public void Policy_fields_are_read()
    {
        var r = Parse("""{"token":"s","models":["openai/gpt-4o-mini","anthropic/claude-*"],"budget":{"limit_usd":5.25,"window":"7d"}}""");
        Assert.True(r.Ok);
        Assert.Equal(["openai/gpt-4o-mini", "anthropic/claude-*"], r.Agent!.Policy.Models!);
        Assert.Equal(new BudgetSpec(5.25m, "7d"), r.Agent.Policy.Budget);
    }

    [Theory]
    [InlineData("24h")]
    [InlineData("7d")]
    [InlineData("30d")]
    [InlineData("month")]
    [InlineData("total")]
    public void Every_window_is_accepted(string window)
    {
        var r = Parse("""{"token":"s","budget":{"limit_usd":1,"window":"WINDOW"}}""".Replace("WINDOW", window));
        Assert.Equal(window, r.Agent!.Policy.Budget!.Window);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""{"pod":"p"}""", "token")]
    [InlineData("""{"token":""}""", "token")]
    [InlineData("""{"token":42}""", "token")]
    [InlineData("""{"token":"westin:abc"}""", "other than 'tiverton'")]
    [InlineData("""{"token":"tiverton:"}""", "empty secret")]
    [InlineData("""{"token":"s","pod":7}""", "\"pod\"")]
    [InlineData("""{"token":"s","models":"openai/*"}""", "\"models\"")]
    [InlineData("""{"token":"s","models":[""]}""", "\"models\"")]
    [InlineData("""{"token":"s","budget":5}""", "\"budget\"")]
    [InlineData("""{"token":"s","budget":{"limit_usd":-1,"window":"24h"}}""", "limit_usd")]
    [InlineData("""{"token":"s","budget":{"limit_usd":"5","window":"24h"}}""", "limit_usd")]
    [InlineData("""{"token":"s","budget":{"limit_usd":5,"window":"1h"}}""", "window")]
    [InlineData("""{"token":"s","budget":{"limit_usd":5}}""", "window")]
    public void Bad_files_define_no_agent_and_say_why(string json, string problem)
    {
        var r = Parse(json);
        Assert.False(r.Ok);
        Assert.Contains(problem, r.Error);
    }
}
