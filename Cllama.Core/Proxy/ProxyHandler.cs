using System.Diagnostics;
using System.IO.Compression;
using Cllama.Agents;
using Cllama.Costs;
using Cllama.Governance;
using Cllama.Http;
using Cllama.Ledger;
using Cllama.Providers;
using Cllama.Usage;
using Microsoft.Extensions.Logging;

namespace Cllama.Proxy;

/// <summary>
/// Serves <c>POST /v1/...</c>: authenticate the agent, route the model to a provider, swap in the real key,
/// forward the body byte for byte (model spliced), relay the answer as it arrives, and account for it.
/// </summary>
public sealed partial class ProxyHandler(ProxyServices services) : IHttpHandler
{
    readonly ProxyServices _s = services;

    public async ValueTask HandleAsync(HttpContext ctx)
    {
        // 0. GET /v1/me answers the agent about itself; it is the one non-POST route under /v1/.
        if (ctx.Request.Path == MeEndpoint.Path)
        {
            MeEndpoint.Handle(ctx, _s.Agents, _s.Governance);
            return;
        }
        var metrics = _s.Governance.Metrics;
        metrics.RequestStarted();
        try
        {
            await ProxyAsync(ctx).ConfigureAwait(false);
        }
        finally
        {
            metrics.RequestEnded();
        }
    }

    async ValueTask ProxyAsync(HttpContext ctx)
    {
        var call = new ProxyCall(ctx, RequestIds.Next(), Stopwatch.GetTimestamp());

        // 1. Method: everything under /v1/ that we proxy is a POST.
        if (ctx.Request.Method != "POST")
        {
            Routes.MethodNotAllowed(ctx.Response, "POST");
            return;
        }

        // 2. Authenticate: one identical 401 for every credential failure.
        var agent = _s.Agents.Authenticate(ctx.Request.Headers.Get(KnownHeaders.Authorization), ctx.Request.Headers.Get(KnownHeaders.XApiKey)).Agent;
        if (agent is null)
        {
            await Fail(call, 401, "invalid or missing agent credential", "authentication_error", "invalid_api_key").ConfigureAwait(false);
            return;
        }
        call.Agent = agent;

        // 3. Inspect the body once: model, stream flags, offsets for the splice.
        if (!RequestBody.TryInspect(ctx.Body.Span, out var info, out var bodyError))
        {
            await Fail(call, 400, $"request body is not a valid JSON object: {bodyError}", "invalid_request_error", "invalid_json").ConfigureAwait(false);
            return;
        }
        if (string.IsNullOrEmpty(info.Model))
        {
            await Fail(call, 400, "request body has no \"model\"; use provider/model, e.g. openai/gpt-4o", "invalid_request_error", "model_required").ConfigureAwait(false);
            return;
        }
        call.Model = info.Model;
        call.Stream = info.Stream;

        // 4. Resolve the provider.
        if (!ModelRoute.TryResolve(info.Model, call.Dialect == ErrorDialect.Anthropic, out var route))
        {
            await Fail(call, 400, $"model '{info.Model}' has no provider prefix; use provider/model, e.g. openai/gpt-4o", "invalid_request_error", "model_not_routable").ConfigureAwait(false);
            return;
        }
        call.Route = route;

        // 4a. Policy: the model must be on the agent's allowlist (checked before revealing which providers exist).
        var policy = _s.Governance.Policy.Resolve(agent);
        if (Governor.CheckModel(policy, route) is { } notAllowed)
        {
            await Refuse(call, notAllowed).ConfigureAwait(false);
            return;
        }
        var provider = _s.Providers.Get(route.Provider);
        if (provider is null)
        {
            var known = _s.Providers.Names;
            await Fail(call, 400, $"unknown provider '{route.Provider}'; configured providers: {(known.Count == 0 ? "none" : string.Join(", ", known))}",
                "invalid_request_error", "unknown_provider").ConfigureAwait(false);
            return;
        }
        if (provider.IsMissingKey)
        {
            await Fail(call, 503, $"provider '{provider.Name}' has no API key configured", "api_error", "provider_not_configured").ConfigureAwait(false);
            return;
        }

        // 4b. Budget: reserve the worst case before anything goes upstream, or refuse. The reservation is released
        //     when this method returns, after Finish has put the real cost in the ledger.
        var budget = _s.Governance.Reserve(agent, policy, route, _s.Pricing.Lookup(route.Provider, route.UpstreamModel),
            ctx.Request.Path, ctx.Body.Span, info);
        using var reservation = budget.Reservation;
        if (budget.Refusal is { } overBudget)
        {
            await Refuse(call, overBudget).ConfigureAwait(false);
            return;
        }
        call.Intervention = budget.Intervention;

        // 5. Rewrite: only the model value, plus usage reporting for streamed chat the client did not ask for, plus
        //    an output cap when the budget needed one.
        bool injectUsage = info.Stream && !info.IncludeUsage && IsChatCompletions(ctx.Request.Path);
        byte[] body = RequestBody.Rewrite(ctx.Body.Span, info, route.UpstreamModel, injectUsage, budget.SetMaxTokens,
            budget.MaxTokensKey ?? "max_tokens");

        // 6. Build the upstream request: the agent's credential never leaves the proxy.
        using var upstreamRequest = UpstreamRequest.Build(ctx, provider, body, PresentedCredential(ctx));

        // 7. Send, waiting for response headers no longer than the first-byte timeout. The same source then times
        //    the body's reads (the idle timeout): one linked source and one timer per request, not two.
        call.Forwarded = true;
        using var upstreamTimer = CancellationTokenSource.CreateLinkedTokenSource(ctx.ClientGone);
        upstreamTimer.CancelAfter(_s.Upstream.FirstByteTimeout);
        HttpResponseMessage upstream;
        long sent = Stopwatch.GetTimestamp();
        try
        {
            upstream = await _s.Upstream.Http.SendAsync(upstreamRequest, HttpCompletionOption.ResponseHeadersRead, upstreamTimer.Token).ConfigureAwait(false);
            call.UpstreamWaitTicks = Stopwatch.GetTimestamp() - sent;
        }
        catch (OperationCanceledException) when (ctx.ClientGone.IsCancellationRequested)
        {
            await Finish(call, 499, "client disconnected before the provider answered", partial: true).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (upstreamTimer.IsCancellationRequested)
        {
            await Fail(call, 504, $"provider '{provider.Name}' sent no response headers within {(int)_s.Upstream.FirstByteTimeout.TotalMilliseconds} ms", "api_error", "upstream_timeout").ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            await Fail(call, 502, $"provider '{provider.Name}' is unreachable: {UpstreamErrors.Describe(e)}", "api_error", "upstream_unreachable").ConfigureAwait(false);
            return;
        }

        using (upstream)
        {
            call.TtfbMs = call.ElapsedMs();
            int status = (int)upstream.StatusCode;
            // 8. A rejected provider key is the operator's problem, not the agent's: never pass it on as a 401.
            if (status == 401)
            {
                await Fail(call, 502, $"provider '{provider.Name}' rejected the configured API key", "api_error", "provider_auth_failed").ConfigureAwait(false);
                return;
            }

            // 9. Status and headers to the client, then the body as it arrives.
            var encoding = upstream.Content.Headers.ContentEncoding.LastOrDefault();
            bool decompress = encoding is not null && IsDecodable(encoding);
            bool eventStream = upstream.Content.Headers.ContentType?.MediaType == "text/event-stream";
            // Always chunked to the client: its end of body is sent only after the request is accounted for, so a
            // response the client saw complete is never missing from the ledger.
            var headers = ProxyHeaders.FromUpstream(upstream, dropContentEncoding: decompress);
            headers.Add(new("x-cllama-request-id", call.RequestId));
            call.OverheadTicks = call.ElapsedTicks() - call.UpstreamWaitTicks;
            headers.Add(new("x-cllama-overhead-ms", OverheadMs(call.OverheadTicks.Value)));
            ctx.Response.StartResponse(status, headers, contentLength: null);
            call.Status = status;

            var tap = new UsageTap(UsageDialectFor(ctx.Request.Path), eventStream);
            var filter = injectUsage && eventStream ? new SseUsageChunkFilter() : null;
            RelayResult result;
            try
            {
                var raw = await upstream.Content.ReadAsStreamAsync(ctx.ClientGone).ConfigureAwait(false);
                await using var stream = decompress ? Decoder(raw, encoding!) : raw;
                long? expectedLength = decompress ? null : upstream.Content.Headers.ContentLength;
                result = await ResponseRelay.RunAsync(stream, ctx.Response, tap, filter, expectedLength, _s.Upstream.IdleTimeout, upstreamTimer, ctx.ClientGone).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
            {
                result = ctx.ClientGone.IsCancellationRequested ? RelayResult.ClientGone : RelayResult.UpstreamError;
            }
            tap.Complete();
            call.Usage = tap.Report;

            // 10. A cut upstream must look cut to the client too: abort rather than complete.
            if (result != RelayResult.Success)
                ctx.Response.Abort();
            await Finish(call, status, RelayError(result), partial: result != RelayResult.Success).ConfigureAwait(false);
        }
    }

    static string? RelayError(RelayResult result) => result switch
    {
        RelayResult.Success => null,
        RelayResult.ClientGone => "client disconnected mid-response",
        RelayResult.UpstreamIdle => "provider went silent mid-response (idle timeout)",
        _ => "provider connection failed mid-response",
    };

    static bool IsChatCompletions(string path) => path is "/v1/chat/completions";

    static UsageDialect UsageDialectFor(string path) =>
        path.StartsWith("/v1/messages", StringComparison.Ordinal) ? UsageDialect.Anthropic : UsageDialect.OpenAI;

    static bool IsDecodable(string encoding) => encoding is "gzip" or "x-gzip" or "deflate" or "br";

    static Stream Decoder(Stream raw, string encoding) => encoding switch
    {
        "br" => new BrotliStream(raw, CompressionMode.Decompress),
        "deflate" => new ZLibStream(raw, CompressionMode.Decompress),
        _ => new GZipStream(raw, CompressionMode.Decompress),
    };

    /// <summary>The credential the agent presented, so no header carrying it is forwarded.</summary>
    static string PresentedCredential(HttpContext ctx)
    {
        var auth = ctx.Request.Headers.Get(KnownHeaders.Authorization);
        if (auth is not null && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return auth[7..].Trim();
        return ctx.Request.Headers.Get(KnownHeaders.XApiKey)?.Trim() ?? "";
    }

    static string OverheadMs(long ticks) =>
        (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    async ValueTask Refuse(ProxyCall call, Refusal refusal)
    {
        refusal.Send(call.Context.Response, call.Dialect);
        await Finish(call, refusal.Status, refusal.Message, partial: false).ConfigureAwait(false);
    }

    async ValueTask Fail(ProxyCall call, int status, string message, string type, string code)
    {
        JsonErrors.Send(call.Context.Response, status, call.Dialect, message, type, code);
        await Finish(call, status, message, partial: false).ConfigureAwait(false);
    }

    /// <summary>Accounts for the request: returns once its ledger entry is durable, before the response can complete.</summary>
    async ValueTask Finish(ProxyCall call, int status, string? error, bool partial)
    {
        var usage = call.Usage;
        ModelPrice? price = call.Route is { } r ? _s.Pricing.Lookup(r.Provider, r.UpstreamModel) : null;
        // A whole answer without usage (an error, a refusal) cost nothing; a cut one without usage is unknown.
        var (cost, source) = usage is { Seen: true } || partial || price is null
            ? CostCalculator.Compute(usage ?? UsageReport.None, price, partial)
            : (0m, CostSource.Computed);
        var record = new RequestRecord
        {
            Timestamp = DateTimeOffset.UtcNow,
            RequestId = call.RequestId,
            AgentId = call.Agent?.Id,
            Type = error is null && status < 400 ? "response" : "error",
            Model = call.Model,
            Provider = call.Route?.Provider,
            UpstreamModel = call.Route?.UpstreamModel,
            Stream = call.Stream,
            LatencyMs = call.ElapsedMs(),
            TtfbMs = call.TtfbMs,
            StatusCode = status,
            TokensIn = usage?.InputTokens ?? 0,
            TokensOut = usage?.OutputTokens ?? 0,
            CachedTokens = usage?.CachedReadTokens ?? 0,
            CostUsd = cost,
            CostSource = source,
            Intervention = call.Intervention,
            Error = error,
            Partial = partial,
            Forwarded = call.Forwarded,
        };
        var durable = _s.Ledger.RecordAsync(record);
        _s.Log.Write(record);
        _s.Governance.Metrics.Record(record, call.ElapsedTicks(), call.UpstreamWaitTicks, call.OverheadTicks);
        await durable.ConfigureAwait(false);
    }
}
