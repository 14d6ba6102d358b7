using Cllama.Costs;
using Cllama.Ledger;

namespace Cllama.Bench.Ledger;

/// <summary>Realistic records: 10 agents, 4 models each, a few hundred tokens, priced, some unpriced.</summary>
static class Workload
{
    static readonly string[] Agents = Enumerable.Range(0, 10).Select(i => $"agent-{i:D2}").ToArray();
    static readonly (string Provider, string Model)[] Models =
        [("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("anthropic", "claude-sonnet-4-20250514"), ("openrouter", "meta-llama/llama-3.1-70b")];

    public static RequestRecord Record(DateTimeOffset at, int writer, long n)
    {
        var (provider, model) = Models[(int)((n + writer) % Models.Length)];
        long tokensIn = 200 + n % 3000, tokensOut = 50 + n % 700;
        return new RequestRecord
        {
            Timestamp = at,
            RequestId = $"{writer:x4}{n:x12}",
            AgentId = Agents[(writer + n) % Agents.Length],
            Type = "response",
            Provider = provider,
            UpstreamModel = model,
            StatusCode = 200,
            TokensIn = tokensIn,
            TokensOut = tokensOut,
            CachedTokens = n % 5 == 0 ? tokensIn / 2 : 0,
            CostUsd = n % 50 == 0 ? null : tokensIn * 2.5m / 1_000_000 + tokensOut * 10m / 1_000_000,
            CostSource = n % 50 == 0 ? CostSource.Unknown : CostSource.Computed,
            Forwarded = true,
        };
    }
}
