using System.Runtime.InteropServices;

namespace Cllama.Ledger;

/// <summary>
/// Every aggregate the ledger answers from: per agent, one series per (provider, upstream model). An agent's spend is
/// the sum over its models (a handful), which costs far less than keeping a second minute-by-minute series per agent.
/// Queries also take the entries still waiting for their fsync (<c>pending</c>), so a request counts from the moment
/// the proxy finished it, while the series themselves only ever hold what is on disk (which keeps snapshots exact).
/// Not thread-safe; <see cref="CostLedger"/> serialises access.
/// </summary>
sealed class LedgerState
{
    public Dictionary<string, Dictionary<(string Provider, string Model), SpendSeries>> Agents { get; } = new(StringComparer.Ordinal);

    public void Apply(in LedgerEntry e)
    {
        if (!Agents.TryGetValue(e.AgentId, out var models))
            Agents[e.AgentId] = models = [];
        var key = (e.Provider, e.UpstreamModel);
        if (!models.TryGetValue(key, out var series))
            models[key] = series = new SpendSeries();
        series.Add(e);
    }

    /// <summary>The agent's spend in the totals; the caller adds the entries still pending (<see cref="LedgerWriter.PendingSpend"/>).</summary>
    public decimal SpentUsd(string agentId, BudgetWindow window, long nowMs)
    {
        decimal spent = 0;
        if (Agents.TryGetValue(agentId, out var models))
        {
            foreach (var series in models.Values)
                spent += series.In(window, nowMs).CostUsd;
        }
        return spent;
    }

    /// <summary>The agent's spend goes down as soon as any one model's does.</summary>
    public long? ResetsAtMs(string agentId, BudgetWindow window, long nowMs, List<LedgerEntry> pending)
    {
        long? first = null;
        if (Agents.TryGetValue(agentId, out var models))
        {
            foreach (var series in models.Values)
                first = Earliest(first, series.ResetsAtMs(window, nowMs));
        }
        foreach (var e in pending)
        {
            if (e.AgentId == agentId && e.CostUsd > 0 && SpendSeries.Counts(e.TimestampMs, window, nowMs))
                first = Earliest(first, SpendSeries.EntryLeavesAtMs(e.TimestampMs, window, nowMs));
        }
        return first;
    }

    static long? Earliest(long? a, long? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    /// <summary>Totals per agent and model over <paramref name="window"/>; agents and models with no request in it are left out.</summary>
    public CostSnapshot Snapshot(BudgetWindow window, long nowMs, List<LedgerEntry> pending)
    {
        var byAgent = new SortedDictionary<string, Dictionary<(string Provider, string Model), Totals>>(StringComparer.Ordinal);
        foreach (var (agent, models) in Agents)
        {
            foreach (var (key, series) in models)
            {
                var t = series.In(window, nowMs);
                if (t.Requests > 0)
                    Row(byAgent, agent, key).Add(t);
            }
        }
        foreach (var e in pending)
        {
            if (SpendSeries.Counts(e.TimestampMs, window, nowMs))
                Row(byAgent, e.AgentId, (e.Provider, e.UpstreamModel)).Add(e);
        }

        var agents = new SortedDictionary<string, AgentCost>(StringComparer.Ordinal);
        decimal total = 0;
        long requests = 0, unpriced = 0;
        foreach (var (agent, models) in byAgent)
        {
            var rows = models
                .Select(m => new ModelCost(m.Key.Provider, m.Key.Model, m.Value.InputTokens, m.Value.OutputTokens, m.Value.CachedTokens,
                    m.Value.CostUsd, m.Value.Requests, m.Value.UnpricedRequests))
                .OrderByDescending(m => m.CostUsd).ThenBy(m => m.Provider, StringComparer.Ordinal).ThenBy(m => m.Model, StringComparer.Ordinal)
                .ToList();
            var a = new AgentCost(rows.Sum(m => m.CostUsd), rows.Sum(m => m.Requests), rows.Sum(m => m.UnpricedRequests), rows);
            agents[agent] = a;
            total += a.TotalCostUsd;
            requests += a.TotalRequests;
            unpriced += a.UnpricedRequests;
        }
        return new CostSnapshot(total, requests, unpriced, agents);
    }

    static ref Totals Row(SortedDictionary<string, Dictionary<(string Provider, string Model), Totals>> byAgent, string agent, (string, string) key)
    {
        if (!byAgent.TryGetValue(agent, out var models))
            byAgent[agent] = models = [];
        return ref CollectionsMarshal.GetValueRefOrAddDefault(models, key, out _);
    }

    public void PruneBefore(long cutoffMs)
    {
        foreach (var models in Agents.Values)
        {
            foreach (var series in models.Values)
                series.PruneBefore(cutoffMs);
        }
    }
}
