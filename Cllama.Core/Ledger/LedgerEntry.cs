using Cllama.Costs;

namespace Cllama.Ledger;

/// <summary>
/// What the durable ledger keeps of one forwarded request (CONTRACT §5, §10): enough to rebuild every total and
/// window, and the request id to trace it back to its log line.
/// </summary>
readonly record struct LedgerEntry(
    long TimestampMs,
    string RequestId,
    string AgentId,
    string Provider,
    string UpstreamModel,
    long TokensIn,
    long TokensOut,
    long CachedTokens,
    decimal? CostUsd,
    CostSource CostSource,
    int StatusCode,
    bool Partial)
{
    /// <summary>The ledger entry for <paramref name="r"/>, or null when it never reached a provider (only those are metered).</summary>
    public static LedgerEntry? From(RequestRecord r)
    {
        if (!r.Forwarded || r.AgentId is null || r.Provider is null || r.UpstreamModel is null)
            return null;
        return new LedgerEntry(r.Timestamp.ToUnixTimeMilliseconds(), r.RequestId, r.AgentId, r.Provider, r.UpstreamModel,
            r.TokensIn, r.TokensOut, r.CachedTokens, r.CostUsd, r.CostSource, r.StatusCode, r.Partial);
    }

    /// <summary>What this entry adds to <paramref name="agentId"/>'s spend in <paramref name="window"/> as of <paramref name="nowMs"/>.</summary>
    public decimal SpendFor(string agentId, BudgetWindow window, long nowMs) =>
        AgentId == agentId && CostUsd is decimal cost && SpendSeries.Counts(TimestampMs, window, nowMs) ? cost : 0;
}
