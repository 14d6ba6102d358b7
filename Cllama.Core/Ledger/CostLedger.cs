namespace Cllama.Ledger;

/// <summary>
/// Running totals per agent and (provider, model), fed one <see cref="RequestRecord"/> per forwarded request.
/// One lock: a record is a handful of additions, far cheaper than the request it describes.
/// </summary>
public sealed class CostLedger
{
    readonly object _lock = new();
    readonly Dictionary<string, Dictionary<(string Provider, string Model), ModelTotals>> _agents = new(StringComparer.Ordinal);

    public void Record(RequestRecord r)
    {
        if (!r.Forwarded || r.AgentId is null || r.Provider is null || r.UpstreamModel is null)
            return;
        lock (_lock)
        {
            if (!_agents.TryGetValue(r.AgentId, out var models))
                _agents[r.AgentId] = models = new();
            if (!models.TryGetValue((r.Provider, r.UpstreamModel), out var t))
                models[(r.Provider, r.UpstreamModel)] = t = new ModelTotals();
            t.Requests++;
            t.InputTokens += r.TokensIn;
            t.OutputTokens += r.TokensOut;
            t.CachedTokens += r.CachedTokens;
            if (r.CostUsd is decimal cost)
                t.CostUsd += cost;
            else
                t.UnpricedRequests++;
        }
    }

    public CostSnapshot Snapshot()
    {
        lock (_lock)
        {
            var agents = new SortedDictionary<string, AgentCost>(StringComparer.Ordinal);
            decimal total = 0;
            long requests = 0, unpriced = 0;
            foreach (var (agent, models) in _agents)
            {
                var rows = models
                    .Select(m => new ModelCost(m.Key.Provider, m.Key.Model, m.Value.InputTokens, m.Value.OutputTokens,
                        m.Value.CachedTokens, m.Value.CostUsd, m.Value.Requests, m.Value.UnpricedRequests))
                    .OrderByDescending(m => m.CostUsd).ThenBy(m => m.Provider).ThenBy(m => m.Model)
                    .ToList();
                var a = new AgentCost(rows.Sum(m => m.CostUsd), rows.Sum(m => m.Requests), rows.Sum(m => m.UnpricedRequests), rows);
                agents[agent] = a;
                total += a.TotalCostUsd;
                requests += a.TotalRequests;
                unpriced += a.UnpricedRequests;
            }
            return new CostSnapshot(total, requests, unpriced, agents);
        }
    }

    sealed class ModelTotals
    {
        public long Requests, UnpricedRequests, InputTokens, OutputTokens, CachedTokens;
        public decimal CostUsd;
    }
}

public sealed record CostSnapshot(decimal TotalCostUsd, long TotalRequests, long UnpricedRequests, IReadOnlyDictionary<string, AgentCost> Agents);

public sealed record AgentCost(decimal TotalCostUsd, long TotalRequests, long UnpricedRequests, IReadOnlyList<ModelCost> Models);

public sealed record ModelCost(string Provider, string Model, long InputTokens, long OutputTokens, long CachedTokens,
    decimal CostUsd, long Requests, long UnpricedRequests);
