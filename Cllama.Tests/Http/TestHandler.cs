using System.Text;
using System.Text.Json;
using Cllama.Http;

namespace Cllama.Tests.Http;

/// <summary>
/// Handlers for server tests, by path: <c>/v1/echo</c> describes the request as JSON; <c>/v1/slow</c> waits for
/// <see cref="Release"/>; <c>/v1/stream</c> streams chunks until the client leaves; <c>/v1/until-gone</c> waits for
/// <see cref="HttpContext.ClientGone"/>. Anything else is 404.
/// </summary>
public sealed class TestHandler : IHttpHandler
{
    /// <summary>Completed when a <c>/v1/slow</c> request reaches the handler.</summary>
    public TaskCompletionSource SlowEntered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>Complete it to let <c>/v1/slow</c> answer.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>How <c>/v1/stream</c> ended: null when it wrote everything, else the exception that stopped it.</summary>
    public TaskCompletionSource<Exception?> StreamEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when a <c>/v1/until-gone</c> request sees its client leave.</summary>
    public TaskCompletionSource ClientGoneSeen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public const int StreamChunks = 10_000;

    public ValueTask HandleAsync(HttpContext context) => context.Request.Path switch
    {
        "/v1/echo" => Echo(context),
        "/v1/slow" => SlowAsync(context),
        "/v1/stream" => StreamAsync(context),
        "/v1/until-gone" => UntilGoneAsync(context),
        _ => NotFound(context),
    };

    static ValueTask Echo(HttpContext context)
    {
        var r = context.Request;
        var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json))
        {
            w.WriteStartObject();
            w.WriteString("method", r.Method);
            w.WriteString("path", r.Path);
            w.WriteString("query", r.Query);
            w.WriteString("version", r.Version == HttpVersion.Http10 ? "1.0" : "1.1");
            w.WriteNumber("length", context.Body.Length);
            w.WriteString("body", Encoding.Latin1.GetString(context.Body.Span));
            w.WriteEndObject();
        }
        context.Response.Send(200, "application/json", json.ToArray());
        return ValueTask.CompletedTask;
    }

    async ValueTask SlowAsync(HttpContext context)
    {
        SlowEntered.TrySetResult();
        await Release.Task;
        context.Response.Send(200, "application/json", """{"slow":true}"""u8);
    }

    async ValueTask StreamAsync(HttpContext context)
    {
        var chunk = new byte[64 * 1024];
        try
        {
            context.Response.StartResponse(200, [new("Content-Type", "application/octet-stream")], null);
            for (int i = 0; i < StreamChunks; i++)
                await context.Response.WriteAndFlushAsync(chunk, context.ClientGone);
            context.Response.Complete();
            StreamEnded.TrySetResult(null);
        }
        catch (Exception e)
        {
            StreamEnded.TrySetResult(e);
            throw;
        }
    }

    async ValueTask UntilGoneAsync(HttpContext context)
    {
        SlowEntered.TrySetResult();
        var gone = new TaskCompletionSource();
        await using (context.ClientGone.Register(() => gone.TrySetResult()))
            await gone.Task.WaitAsync(RawClient.DefaultTimeout);
        ClientGoneSeen.TrySetResult();
    }

    static ValueTask NotFound(HttpContext context)
    {
        Routes.NotFound(context.Response);
        return ValueTask.CompletedTask;
    }
}
