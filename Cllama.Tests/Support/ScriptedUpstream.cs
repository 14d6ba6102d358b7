using System.Collections.Concurrent;
using Cllama.Config;
using Cllama.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cllama.Tests.Support;

/// <summary>What the fake provider saw of one request.</summary>
public sealed record SeenRequest(string Method, string Path, string Query, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>
/// A fake provider on loopback whose behaviour each test scripts: it records every request and answers with the
/// current script (slow, silent, cut, gzip, any status).
/// </summary>
public sealed class ScriptedUpstream : IHttpHandler, IAsyncDisposable
{
    readonly HttpServer _server;
    public ConcurrentQueue<SeenRequest> Seen { get; } = new();
    public Func<HttpContext, Task> Script { get; set; } = ctx =>
    {
        ctx.Response.Send(200, "application/json", """{"ok":true}"""u8);
        return Task.CompletedTask;
    };

    /// <summary>Completed when a request's ClientGone token fires (the proxy dropped the upstream call).</summary>
    public TaskCompletionSource UpstreamCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    ScriptedUpstream()
    {
        _server = new HttpServer("scripted-upstream", new ListenAddress("127.0.0.1", 0), this, new HttpLimits(), NullLogger.Instance);
    }

    public static ScriptedUpstream Start()
    {
        var upstream = new ScriptedUpstream();
        upstream._server.Start();
        return upstream;
    }

    public int Port => _server.LocalEndPoint.Port;
    public string BaseUrl => $"http://127.0.0.1:{Port}/v1";

    public async ValueTask HandleAsync(HttpContext ctx)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var h in ctx.Request.Headers)
            headers.Add(h);
        Seen.Enqueue(new SeenRequest(ctx.Request.Method, ctx.Request.Path, ctx.Request.Query, headers, ctx.Body.ToArray()));
        ctx.ClientGone.Register(() => UpstreamCancelled.TrySetResult());
        await Script(ctx);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
