namespace Cllama.Ledger;

/// <summary>
/// Every aggregate the ledger answers from: per agent, one series per (provider, upstream model). An agent's spend is
/// the sum over its models (a handful), which costs far less than keeping a second minute-by-minute series per agent.
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
    public long? ResetsAtMs(string agentId, BudgetWindow window, long nowMs)
    {
        long? first = null;
        if (Agents.TryGetValue(agentId, out var models))
        {
            foreach (var series in models.Values)
            {
                if (series.ResetsAtMs(window, nowMs) is long at && (first is null || at < first))
                    first = at;
            }
        }
        return first;
    }

    /// <summary>Totals per agent and model over <paramref name="window"/>; agents and models with no request in it are left out.</summary>
    public CostSnapshot Snapshot(BudgetWindow window, long nowMs)
    {
        var agents = new SortedDictionary<string, AgentCost>(StringComparer.Ordinal);
        decimal total = 0;
        long requests = 0, unpriced = 0;
        foreach (var (agent, models) in Agents)
        {
            var rows = new List<ModelCost>(models.Count);
            foreach (var ((provider, model), series) in models)
            {
                var t = series.In(window, nowMs);
                if (t.Requests > 0)
                    rows.Add(new ModelCost(provider, model, t.InputTokens, t.OutputTokens, t.CachedTokens, t.CostUsd, t.Requests, t.UnpricedRequests));
            }
            if (rows.Count == 0)
                continue;
            rows.Sort(static (a, b) =>
            {
                int c = b.CostUsd.CompareTo(a.CostUsd);
                if (c == 0) c = string.CompareOrdinal(a.Provider, b.Provider);
                return c != 0 ? c : string.CompareOrdinal(a.Model, b.Model);
            });
            var a = new AgentCost(rows.Sum(m => m.CostUsd), rows.Sum(m => m.Requests), rows.Sum(m => m.UnpricedRequests), rows);
            agents[agent] = a;
            total += a.TotalCostUsd;
            requests += a.TotalRequests;
            unpriced += a.UnpricedRequests;
        }
        return new CostSnapshot(total, requests, unpriced, agents);
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
