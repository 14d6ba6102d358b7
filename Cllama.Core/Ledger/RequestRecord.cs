using Cllama.Costs;

namespace Cllama.Ledger;

/// <summary>
/// Everything known about one finished request: the request log line (CONTRACT §7) and the ledger entry (§5, §6)
/// are both written from it.
/// </summary>
public sealed record RequestRecord
{
    public required DateTimeOffset Timestamp { get; init; }
    public required string RequestId { get; init; }
    public string? AgentId { get; init; }
    /// <summary>"response", or "error" for failures and cut-short requests.</summary>
    public required string Type { get; init; }
    public string? Model { get; init; }
    public string? Provider { get; init; }
    public string? UpstreamModel { get; init; }
    public bool Stream { get; init; }
    public long LatencyMs { get; init; }
    public long? TtfbMs { get; init; }
    public int StatusCode { get; init; }
    public long TokensIn { get; init; }
    public long TokensOut { get; init; }
    public long CachedTokens { get; init; }
    public decimal? CostUsd { get; init; }
    public CostSource CostSource { get; init; }
    public string? Intervention { get; init; }
    public string? Error { get; init; }
    /// <summary>True when the response was cut short (client gone, upstream died): what was seen is still recorded.</summary>
    public bool Partial { get; init; }
    /// <summary>True when the request reached a provider: only these count in the cost ledger.</summary>
    public bool Forwarded { get; init; }
}
