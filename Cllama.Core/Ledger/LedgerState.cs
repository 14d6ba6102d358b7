namespace Cllama.Ledger;

/// <summary>
/// Every aggregate the ledger answers from: per agent, a series for its spend and one per (provider, upstream model).
/// Not thread-safe; <see cref="CostLedger"/> serialises access.
/// </summary>
sealed class LedgerState
{
    public sealed class AgentBook
    {
        public SpendSeries Spend { get; } = new();
        public Dictionary<(string Provider, string Model), SpendSeries> Models { get; } = [];
    }

    public Dictionary<string, AgentBook> Agents { get; } = new(StringComparer.Ordinal);

    public void Apply(in LedgerEntry e)
    {
        if (!Agents.TryGetValue(e.AgentId, out var book))
            Agents[e.AgentId] = book = new AgentBook();
        book.Spend.Add(e);
        var key = (e.Provider, e.UpstreamModel);
        if (!book.Models.TryGetValue(key, out var series))
            book.Models[key] = series = new SpendSeries();
        series.Add(e);
    }

    public decimal SpentUsd(string agentId, BudgetWindow window, long nowMs) =>
        Agents.TryGetValue(agentId, out var book) ? book.Spend.In(window, nowMs).CostUsd : 0m;

    public long? ResetsAtMs(string agentId, BudgetWindow window, long nowMs) =>
        Agents.TryGetValue(agentId, out var book) ? book.Spend.ResetsAtMs(window, nowMs) : null;

    /// <summary>Totals per agent and model over <paramref name="window"/>; agents and models with no request in it are left out.</summary>
    public CostSnapshot Snapshot(BudgetWindow window, long nowMs)
    {
        var agents = new SortedDictionary<string, AgentCost>(StringComparer.Ordinal);
        decimal total = 0;
        long requests = 0, unpriced = 0;
        foreach (var (agent, book) in Agents)
        {
            var rows = new List<ModelCost>(book.Models.Count);
            foreach (var ((provider, model), series) in book.Models)
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
        foreach (var book in Agents.Values)
        {
            book.Spend.PruneBefore(cutoffMs);
            foreach (var series in book.Models.Values)
                series.PruneBefore(cutoffMs);
        }
    }
}
