using System.Text;
using System.Text.Json;
using Cllama.Http;

namespace Cllama.Tests.Sdk;

/// <summary>
/// Answers shaped like the real providers' (ids, created, fingerprints, <c>"usage":null</c> on every chunk when
/// usage was asked for, Anthropic's ping events), with fixed token counts so tests can assert exact usage and cost.
/// Used as <see cref="Support.ScriptedUpstream.Script"/>.
/// </summary>
public static class ProviderScripts
{
    public static Func<HttpContext, Task> OpenAIChat(string content, int promptTokens, int completionTokens) => ctx =>
    {
        string model = Model(ctx);
        ctx.Response.Send(200, "application/json", Encoding.UTF8.GetBytes(
            $$"""{"id":"chatcmpl-e2e1","object":"chat.completion","created":1735689600,"model":"{{model}}","choices":[{"index":0,"message":{"role":"assistant","content":{{Str(content)}},"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{{OpenAIUsage(promptTokens, completionTokens)}},"service_tier":"default","system_fingerprint":"fp_e2e"}"""));
        return Task.CompletedTask;
    };

    /// <summary>
    /// Streams <paramref name="deltas"/> as chat chunks. The usage chunk comes only when the request asked for it, as
    /// OpenAI does; <paramref name="betweenChunks"/> lets a test hold the stream open.
    /// </summary>
    public static Func<HttpContext, Task> OpenAIStream(string[] deltas, int promptTokens, int completionTokens, Func<int, Task>? betweenChunks = null) => async ctx =>
    {
        string model = Model(ctx);
        bool usage = IncludeUsage(ctx);
        string usageNull = usage ? ",\"usage\":null" : "";
        string Chunk(string choices, string usageField) =>
            $$"""{"id":"chatcmpl-e2e2","object":"chat.completion.chunk","created":1735689600,"model":"{{model}}","service_tier":"default","system_fingerprint":"fp_e2e","choices":{{choices}}{{usageField}}}""";
        ctx.Response.StartResponse(200, [new("Content-Type", "text/event-stream; charset=utf-8"), new("Cache-Control", "no-cache")], null);
        await SendEvent(ctx, Chunk("""[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]""", usageNull));
        for (int i = 0; i < deltas.Length; i++)
        {
            if (betweenChunks is not null)
                await betweenChunks(i);
            await SendEvent(ctx, Chunk($$"""[{"index":0,"delta":{"content":{{Str(deltas[i])}}},"logprobs":null,"finish_reason":null}]""", usageNull));
        }
        await SendEvent(ctx, Chunk("""[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]""", usageNull));
        if (usage)
            await SendEvent(ctx, Chunk("[]", ",\"usage\":" + OpenAIUsage(promptTokens, completionTokens)));
        await SendEvent(ctx, "[DONE]");
        ctx.Response.Complete();
    };

    /// <summary>Embeddings as floats or, as the OpenAI .NET SDK asks by default, base64 of little-endian float32.</summary>
    public static Func<HttpContext, Task> OpenAIEmbeddings(float[] vector, int promptTokens) => ctx =>
    {
        using var request = JsonDocument.Parse(ctx.Body);
        bool base64 = request.RootElement.TryGetProperty("encoding_format", out var f) && f.GetString() == "base64";
        string embedding = base64
            ? Str(Convert.ToBase64String(vector.SelectMany(BitConverter.GetBytes).ToArray()))
            : "[" + string.Join(",", vector.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
        ctx.Response.Send(200, "application/json", Encoding.UTF8.GetBytes(
            "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":" + embedding + "}],\"model\":\"" + Model(ctx) +
            "\",\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":" + promptTokens + "}}"));
        return Task.CompletedTask;
    };

    public static Func<HttpContext, Task> AnthropicMessage(string text, int inputTokens, int outputTokens) => ctx =>
    {
        ctx.Response.Send(200, "application/json", Encoding.UTF8.GetBytes(
            $$"""{"id":"msg_01E2E","type":"message","role":"assistant","model":"{{Model(ctx)}}","content":[{"type":"text","text":{{Str(text)}}}],"stop_reason":"end_turn","stop_sequence":null,"usage":{{AnthropicUsage(inputTokens, outputTokens)}}}"""));
        return Task.CompletedTask;
    };

    /// <summary>Anthropic's event sequence: message_start (input usage), ping, text deltas, message_delta (cumulative output).</summary>
    public static Func<HttpContext, Task> AnthropicStream(string[] deltas, int inputTokens, int outputTokens) => async ctx =>
    {
        string model = Model(ctx);
        ctx.Response.StartResponse(200, [new("Content-Type", "text/event-stream; charset=utf-8"), new("Cache-Control", "no-cache")], null);
        await SendEvent(ctx, """{"type":"message_start","message":{"id":"msg_01E2F","type":"message","role":"assistant","model":""" + Str(model) +
            ""","content":[],"stop_reason":null,"stop_sequence":null,"usage":""" + AnthropicUsage(inputTokens, 1) + "}}", "message_start");
        await SendEvent(ctx, """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""", "content_block_start");
        await SendEvent(ctx, """{"type": "ping"}""", "ping");
        foreach (var d in deltas)
            await SendEvent(ctx, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":""" + Str(d) + "}}", "content_block_delta");
        await SendEvent(ctx, """{"type":"content_block_stop","index":0}""", "content_block_stop");
        await SendEvent(ctx, """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":""" + outputTokens + "}}", "message_delta");
        await SendEvent(ctx, """{"type":"message_stop"}""", "message_stop");
        ctx.Response.Complete();
    };

    static string OpenAIUsage(int prompt, int completion) =>
        $$$"""{"prompt_tokens":{{{prompt}}},"completion_tokens":{{{completion}}},"total_tokens":{{{prompt + completion}}},"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}""";

    static string AnthropicUsage(int input, int output) =>
        $$"""{"input_tokens":{{input}},"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":{{output}},"service_tier":"standard"}""";

    static async Task SendEvent(HttpContext ctx, string data, string? eventName = null) =>
        await ctx.Response.WriteAndFlushAsync(Encoding.UTF8.GetBytes((eventName is null ? "" : $"event: {eventName}\n") + $"data: {data}\n\n"), ctx.ClientGone);

    static string Str(string s) => "\"" + JsonEncodedText.Encode(s) + "\"";

    static string Model(HttpContext ctx)
    {
        using var request = JsonDocument.Parse(ctx.Body);
        return request.RootElement.GetProperty("model").GetString()!;
    }

    static bool IncludeUsage(HttpContext ctx)
    {
        using var request = JsonDocument.Parse(ctx.Body);
        return request.RootElement.TryGetProperty("stream_options", out var o) &&
               o.TryGetProperty("include_usage", out var u) && u.ValueKind == JsonValueKind.True;
    }
}
