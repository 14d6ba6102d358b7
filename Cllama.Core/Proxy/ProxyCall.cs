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
    /// <summary>The request log's <c>intervention</c>: what the proxy changed in the request, if anything.</summary>
    public string? Intervention { get; set; }
    /// <summary>Stopwatch ticks from sending upstream to its response headers.</summary>
    public long? UpstreamWaitTicks { get; set; }
    /// <summary>Stopwatch ticks of our own work before the response headers went out (upstream wait excluded).</summary>
    public long? OverheadTicks { get; set; }

    public long ElapsedMs() => (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;

    public long ElapsedTicks() => Stopwatch.GetTimestamp() - startTimestamp;
}
