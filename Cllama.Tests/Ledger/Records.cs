using Cllama.Costs;
using Cllama.Ledger;

namespace Cllama.Tests.Ledger;

/// <summary>Request records as the proxy builds them, for feeding a ledger.</summary>
public static class Records
{
    static long _next;

    public static RequestRecord Forwarded(DateTimeOffset at, string agent = "tiverton", decimal? cost = 0.0015m,
        string provider = "openai", string model = "gpt-4o", long tokensIn = 200, long tokensOut = 100, long cached = 0,
        bool partial = false, int status = 200) => new()
        {
            Timestamp = at,
            RequestId = $"req-{Interlocked.Increment(ref _next)}",
            AgentId = agent,
            Type = partial || status >= 400 ? "error" : "response",
            Model = $"{provider}/{model}",
            Provider = provider,
            UpstreamModel = model,
            StatusCode = status,
            TokensIn = tokensIn,
            TokensOut = tokensOut,
            CachedTokens = cached,
            CostUsd = cost,
            CostSource = cost is null ? CostSource.Unknown : partial ? CostSource.Estimated : CostSource.Computed,
            Partial = partial,
            Forwarded = true,
        };

    /// <summary>The /costs/api body: a byte-exact fingerprint of every total, agent and model.</summary>
    public static string Json(CostSnapshot s) => System.Text.Encoding.UTF8.GetString(CostsApiWriter.Write(s));
}
