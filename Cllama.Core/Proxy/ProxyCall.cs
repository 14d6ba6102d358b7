using System.Diagnostics;
using Cllama.Agents;
using Cllama.Http;
using Cllama.Usage;

namespace Cllama.Proxy;

/// <summary>What one proxied request has learned so far; the orchestrator fills it in step by step.</summary>
sealed class ProxyCall(HttpContext context, string requestId, long startTimestamp)
{
    public HttpContext Context { get; } = context;
    public string RequestId { get; } = requestId;
    public ErrorDialect Dialect { get; } =
        context.Request.Path.StartsWith("/v1/messages", StringComparison.Ordinal) ? ErrorDialect.Anthropic : ErrorDialect.OpenAI;
    public Agent? Agent { get; set; }
    public string? Model { get; set; }
    public bool Stream { get; set; }
    public ModelRoute? Route { get; set; }
    public bool Forwarded { get; set; }
    public long? TtfbMs { get; set; }
    public int Status { get; set; }
    public UsageReport? Usage { get; set; }

    public long ElapsedMs() => (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
