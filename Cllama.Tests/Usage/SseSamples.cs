using System.Text;

namespace Cllama.Tests.Usage;

/// <summary>Response bodies as providers send them, written with LF line ends.</summary>
static class SseSamples
{
    public const string OpenAIUsageChunk =
        """data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":1200,"completion_tokens":42,"total_tokens":1242,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}""" + "\n\n";

    public static string OpenAIContentChunk(string text, string usage = "null", string finish = "null") =>
        $$"""data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"{{text}}"},"finish_reason":{{finish}}}],"usage":{{usage}}}""" + "\n\n";

    /// <summary>A streamed chat completion with include_usage: content chunks, then the usage-only chunk, then [DONE].</summary>
    public static string OpenAIStream(int contentChunks = 5)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < contentChunks; i++)
            sb.Append(OpenAIContentChunk($"word{i} "));
        sb.Append(OpenAIContentChunk("", finish: "\"stop\""));
        sb.Append(OpenAIUsageChunk);
        sb.Append("data: [DONE]\n\n");
        return sb.ToString();
    }

    public static string AnthropicStream(int deltas = 3)
    {
        var sb = new StringBuilder();
        sb.Append("event: message_start\n");
        sb.Append("""data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,"output_tokens":1}}}""" + "\n\n");
        sb.Append("event: content_block_start\n");
        sb.Append("""data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""" + "\n\n");
        sb.Append("event: ping\ndata: {\"type\": \"ping\"}\n\n");
        for (int i = 0; i < deltas; i++)
        {
            sb.Append("event: content_block_delta\n");
            sb.Append($$$"""data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word{{{i}}} "}}""" + "\n\n");
        }
        sb.Append("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        sb.Append("event: message_delta\n");
        sb.Append("""data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}""" + "\n\n");
        sb.Append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return sb.ToString();
    }

    public const string ResponsesStream =
        "event: response.created\n" +
        """data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","status":"in_progress","output":[],"usage":null}}""" + "\n\n" +
        "event: response.output_text.delta\n" +
        """data: {"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}""" + "\n\n" +
        "event: response.completed\n" +
        """data: {"type":"response.completed","sequence_number":2,"response":{"id":"resp_1","object":"response","status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":"Hi"}]}],"usage":{"input_tokens":300,"input_tokens_details":{"cached_tokens":128},"output_tokens":50,"output_tokens_details":{"reasoning_tokens":10},"total_tokens":350}}}""" + "\n\n";

    public static string WithNewlines(string lfText, string newline) => lfText.Replace("\n", newline);

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
