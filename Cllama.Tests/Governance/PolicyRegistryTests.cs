using Cllama.Agents;
using Cllama.App;
using Cllama.Governance;
using Cllama.Ledger;
using Cllama.Tests.Agents;
using Cllama.Tests.Support;

namespace Cllama.Tests.Governance;

public sealed class PolicyRegistryTests : IDisposable
{
    readonly TempDir _dir = new();
    readonly CapturingLogger _log = new();

    public void Dispose() => _dir.Dispose();

    static Agent AgentWith(string id, IReadOnlyList<string>? models = null, BudgetSpec? budget = null) =>
        new(id, "pod", id, "test", models is null && budget is null ? AgentPolicy.None : new AgentPolicy(models, budget));

    void WritePolicy(string json)
    {
        string tmp = _dir.Combine("policy.json.tmp");
        File.WriteAllText(tmp, json);
        File.Move(tmp, _dir.Combine("policy.json"), overwrite: true);
    }

    PolicyRegistry Load() => PolicyRegistry.Load(_dir.Path, _log, TimeSpan.FromMilliseconds(50));

    [Fact]
    public void Without_policy_json_the_metadata_policy_applies()
    {
        using var registry = Load();
        var agent = AgentWith("tiverton", ["openai/gpt-4o-mini"], new BudgetSpec(2m, "7d"));
        var policy = registry.Resolve(agent);
        Assert.Equal(new AgentBudget(2m, BudgetWindow.Week7d), policy.Budget);
        Assert.Equal(new[] { "openai/gpt-4o-mini" }, policy.Models!.Patterns);
        Assert.Same(EffectivePolicy.None, registry.Resolve(AgentWith("westin")));
    }

    [Fact]
    public void Precedence_is_field_by_field_agent_entry_then_defaults_then_metadata()
    {
        WritePolicy("""
            {"defaults":{"budget":{"limit_usd":5,"window":"24h"}},
             "agents":{"tiverton":{"models":["anthropic/claude-*"]},
                       "westin":{"budget":{"limit_usd":1,"window":"month"}}}}
            """);
        using var registry = Load();

        // tiverton: models from its entry, budget from defaults (over its metadata's).
        var tiverton = registry.Resolve(AgentWith("tiverton", ["openai/*"], new BudgetSpec(100m, "total")));
        Assert.Equal(new[] { "anthropic/claude-*" }, tiverton.Models!.Patterns);
        Assert.Equal(new AgentBudget(5m, BudgetWindow.Day24h), tiverton.Budget);

        // westin: budget from its entry, models from its metadata (nothing above sets them).
        var westin = registry.Resolve(AgentWith("westin", ["openai/gpt-4o-mini"]));
        Assert.Equal(new AgentBudget(1m, BudgetWindow.Month), westin.Budget);
        Assert.Equal(new[] { "openai/gpt-4o-mini" }, westin.Models!.Patterns);

        // allen: not named, so the defaults' budget; no models anywhere, so any model.
        var allen = registry.Resolve(AgentWith("allen"));
        Assert.Equal(new AgentBudget(5m, BudgetWindow.Day24h), allen.Budget);
        Assert.Null(allen.Models);
    }

    [Fact]
    public void Null_in_policy_json_lifts_what_lies_below()
    {
        WritePolicy("""
            {"defaults":{"budget":{"limit_usd":5,"window":"24h"},"models":["openai/*"]},
             "agents":{"tiverton":{"budget":null,"models":null}}}
            """);
        using var registry = Load();
        var policy = registry.Resolve(AgentWith("tiverton", ["ollama/*"], new BudgetSpec(1m, "7d")));
        Assert.Null(policy.Budget);
        Assert.Null(policy.Models);
    }

    [Fact]
    public void A_bad_file_at_start_up_names_the_file()
    {
        WritePolicy("""{"agents":{"tiverton":{"budget":{"limit_usd":5}}}}""");
        var e = Assert.Throws<StartupException>(() => Load());
        Assert.Contains(_dir.Combine("policy.json"), e.Message);
        Assert.Contains("budget.window", e.Message);
    }

    [Fact]
    public async Task A_change_on_disk_takes_effect_and_a_bad_one_keeps_the_previous_policy()
    {
        WritePolicy("""{"defaults":{"budget":{"limit_usd":5,"window":"24h"}}}""");
        using var registry = Load();
        registry.Start();
        var agent = AgentWith("tiverton");
        Assert.Equal(5m, registry.Resolve(agent).Budget!.LimitUsd);

        WritePolicy("""{"defaults":{"budget":{"limit_usd":7,"window":"24h"}}}""");
        await ProxyFixture.WaitUntilAsync(() => registry.Resolve(agent).Budget?.LimitUsd == 7m, "the new limit", 2000);

        WritePolicy("""{"defaults":{"budget":{"limit_usd":"lots","window":"24h"}}}""");
        await ProxyFixture.WaitUntilAsync(() => _log.Warnings.Any(w => w.Contains("policy.json") && w.Contains("limit_usd")), "a warning", 2000);
        Assert.Equal(7m, registry.Resolve(agent).Budget!.LimitUsd);

        File.Delete(_dir.Combine("policy.json"));
        await ProxyFixture.WaitUntilAsync(() => registry.Resolve(agent).Budget is null, "the policy to go", 2000);
        Assert.Single(_log.Warnings);
    }

    [Fact]
    public void A_changed_agent_gets_a_fresh_policy()
    {
        using var registry = Load();
        var before = AgentWith("tiverton", budget: new BudgetSpec(1m, "24h"));
        Assert.Same(registry.Resolve(before), registry.Resolve(before));
        var after = AgentWith("tiverton", budget: new BudgetSpec(2m, "24h"));
        Assert.Equal(2m, registry.Resolve(after).Budget!.LimitUsd);
    }
}
