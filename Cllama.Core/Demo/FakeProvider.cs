using System.Buffers;
using System.Text;
using System.Text.Json;
using Cllama.Http;

namespace Cllama.Demo;

/// <summary>
/// A stand-in LLM provider for the demo: OpenAI chat completions and embeddings, Anthropic messages, streamed and
/// not, with realistic usage (OpenRouter-style <c>usage.cost</c> when the key says so) and small random delays.
/// It runs on the proxy's own HTTP server.
/// </summary>
public sealed class FakeProvider : IHttpHandler
{
    static readonly string[] s_words = ["Bought", "10", "shares", "of", "ACME", "at", "market;", "risk", "within", "limits."];

    public async ValueTask HandleAsync(HttpContext ctx)
    {
        var (model, stream) = ReadRequest(ctx.Body.Span);
        int promptTokens = 20 + ctx.Body.Length / 4;
        int completionTokens = 10 + Random.Shared.Next(40);
        bool reportCost = ctx.Request.Headers.Get(KnownHeaders.Authorization)?.Contains("openrouter", StringComparison.Ordinal) == true;
        await Task.Delay(Random.Shared.Next(20, 120), ctx.ClientGone).ConfigureAwait(false);

        switch (ctx.Request.Path)
        {
            case "/v1/chat/completions" when stream:
                await StreamOpenAIAsync(ctx, model, promptTokens, completionTokens, reportCost).ConfigureAwait(false);
                break;
            case "/v1/chat/completions":
                ctx.Response.Send(200, "application/json", Utf8(OpenAIChat(model, promptTokens, completionTokens, reportCost)));
                break;
            case "/v1/messages" when stream:
                await StreamAnthropicAsync(ctx, model, promptTokens, completionTokens).ConfigureAwait(false);
                break;
            case "/v1/messages":
                ctx.Response.Send(200, "application/json", Utf8(AnthropicMessage(model, promptTokens, completionTokens)));
                break;
            case "/v1/embeddings":
                ctx.Response.Send(200, "application/json", Utf8(
                    "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,0.2,0.3]}],\"model\":\"" + model +
                    "\",\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"total_tokens\":" + promptTokens + "}}"));
                break;
            default:
                ctx.Response.Send(404, "application/json", """{"error":{"message":"fake provider: no such endpoint","type":"invalid_request_error"}}"""u8);
                break;
        }
    }

    static (string Model, bool Stream) ReadRequest(ReadOnlySpan<byte> body)
    {
        string model = "unknown";
        bool stream = false;
        var reader = new Utf8JsonReader(body);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return (model, stream);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("model"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                    model = reader.GetString()!;
                else if (reader.ValueTextEquals("stream"u8) && reader.Read())
                    stream = reader.TokenType == JsonTokenType.True;
                else
                    reader.Skip();
            }
        }
        catch (JsonException) { }
        return (model, stream);
    }

    static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    static string Text => string.Join(' ', s_words);

    /// <summary>OpenAI usage; OpenRouter adds its own <c>cost</c> (priced here like Claude Sonnet: $3 / $15 per million).</summary>
    static string OpenAIUsage(int prompt, int completion, bool cost) =>
        "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) +
        ",\"prompt_tokens_details\":{\"cached_tokens\":0}" +
        (cost ? ",\"cost\":" + ((prompt * 3m + completion * 15m) / 1_000_000m).ToString(System.Globalization.CultureInfo.InvariantCulture) : "") + "}";

    static string OpenAIChat(string model, int prompt, int completion, bool cost) =>
        "{\"id\":\"chatcmpl-demo\",\"object\":\"chat.completion\",\"created\":" + DateTimeOffset.UtcNow.ToUnixTimeSeconds() +
        ",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + Text +
        "\"},\"finish_reason\":\"stop\"}],\"usage\":" + OpenAIUsage(prompt, completion, cost) + "}";

    static string AnthropicUsage(int input, int output) =>
        "{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":" + output + "}";

    static string AnthropicMessage(string model, int input, int output) =>
        "{\"id\":\"msg_demo\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model +
        "\",\"content\":[{\"type\":\"text\",\"text\":\"" + Text + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":" +
        AnthropicUsage(input, output) + "}";

    static string Chunk(string model, string choices, string? usage = null) =>
        "data: {\"id\":\"chatcmpl-demo\",\"object\":\"chat.completion.chunk\",\"model\":\"" + model + "\",\"choices\":" + choices +
        (usage is null ? "" : ",\"usage\":" + usage) + "}";

    static async Task StreamOpenAIAsync(HttpContext ctx, string model, int prompt, int completion, bool cost)
    {
        ctx.Response.StartResponse(200, [new("Content-Type", "text/event-stream"), new("Cache-Control", "no-cache")], null);
        foreach (var word in s_words)
            await SendAsync(ctx, Chunk(model, "[{\"index\":0,\"delta\":{\"content\":\"" + word + " \"},\"finish_reason\":null}]")).ConfigureAwait(false);
        await SendAsync(ctx, Chunk(model, "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]")).ConfigureAwait(false);
        if (IncludeUsage(ctx.Body.Span))
            await SendAsync(ctx, Chunk(model, "[]", OpenAIUsage(prompt, completion, cost))).ConfigureAwait(false);
        await SendAsync(ctx, "data: [DONE]").ConfigureAwait(false);
        ctx.Response.Complete();
    }

    static async Task StreamAnthropicAsync(HttpContext ctx, string model, int input, int output)
    {
        ctx.Response.StartResponse(200, [new("Content-Type", "text/event-stream"), new("Cache-Control", "no-cache")], null);
        await SendAsync(ctx, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_demo\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" +
            model + "\",\"content\":[],\"stop_reason\":null,\"usage\":" + AnthropicUsage(input, 1) + "}}").ConfigureAwait(false);
        await SendAsync(ctx, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}").ConfigureAwait(false);
        foreach (var word in s_words)
            await SendAsync(ctx, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"" + word + " \"}}").ConfigureAwait(false);
        await SendAsync(ctx, "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}").ConfigureAwait(false);
        await SendAsync(ctx, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + output + "}}").ConfigureAwait(false);
        await SendAsync(ctx, "event: message_stop\ndata: {\"type\":\"message_stop\"}").ConfigureAwait(false);
        ctx.Response.Complete();
    }

    static bool IncludeUsage(ReadOnlySpan<byte> body) => body.IndexOf("\"include_usage\":true"u8) >= 0;

    static async Task SendAsync(HttpContext ctx, string eventText)
    {
        await Task.Delay(Random.Shared.Next(5, 25), ctx.ClientGone).ConfigureAwait(false);
        await ctx.Response.WriteAndFlushAsync(Encoding.UTF8.GetBytes(eventText + "\n\n"), ctx.ClientGone).ConfigureAwait(false);
    }
}
