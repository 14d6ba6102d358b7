using System.Text;

namespace Cllama.Bench;

/// <summary>Realistic response bodies, split into the reads an upstream socket would deliver (one event each).</summary>
static class Samples
{
    public const int Events = 200;

    public static byte[][] OpenAIStream()
    {
        var events = new List<string>();
        for (int i = 0; i < Events - 3; i++)
            events.Add($$"""data: {"id":"chatcmpl-BkXf3mQ2","object":"chat.completion.chunk","created":1754000000,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_07871e2ad8","choices":[{"index":0,"delta":{"content":" token{{i}}"},"logprobs":null,"finish_reason":null}],"usage":null}""" + "\n\n");
        events.Add("""data: {"id":"chatcmpl-BkXf3mQ2","object":"chat.completion.chunk","created":1754000000,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}""" + "\n\n");
        events.Add("""data: {"id":"chatcmpl-BkXf3mQ2","object":"chat.completion.chunk","created":1754000000,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":1200,"completion_tokens":197,"total_tokens":1397,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""" + "\n\n");
        events.Add("data: [DONE]\n\n");
        return events.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public static byte[][] AnthropicStream()
    {
        var events = new List<string>
        {
            "event: message_start\n" + """data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,"output_tokens":1}}}""" + "\n\n",
            "event: content_block_start\n" + """data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""" + "\n\n",
        };
        for (int i = 0; i < Events - 5; i++)
            events.Add("event: content_block_delta\n" + $$$$"""data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" token{{{{i}}}}"}}""" + "\n\n");
        events.Add("event: content_block_stop\n" + """data: {"type":"content_block_stop","index":0}""" + "\n\n");
        events.Add("event: message_delta\n" + """data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":195}}""" + "\n\n");
        events.Add("event: message_stop\n" + """data: {"type":"message_stop"}""" + "\n\n");
        return events.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    /// <summary>A non-streamed chat completion of about 2 KiB.</summary>
    public static byte[] OpenAIJson()
    {
        string content = string.Join(' ', Enumerable.Range(0, 250).Select(i => $"w{i}"));
        return Encoding.UTF8.GetBytes($$$$"""{"id":"chatcmpl-BkXf3mQ2","object":"chat.completion","created":1754000000,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"{{{{content}}}}","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":1200,"completion_tokens":400,"total_tokens":1600,"prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}},"service_tier":"default","system_fingerprint":"fp_07871e2ad8"}""");
    }

    /// <summary>What the official OpenAI Python SDK sends for a streamed chat completion.</summary>
    public static byte[] RequestHead() => Encoding.ASCII.GetBytes(
        "POST /v1/chat/completions HTTP/1.1\r\n" +
        "Host: 127.0.0.1:8080\r\n" +
        "Accept-Encoding: gzip, deflate\r\n" +
        "Connection: keep-alive\r\n" +
        "Accept: application/json\r\n" +
        "Content-Type: application/json\r\n" +
        "User-Agent: OpenAI/Python 1.99.9\r\n" +
        "X-Stainless-Lang: python\r\n" +
        "X-Stainless-Package-Version: 1.99.9\r\n" +
        "X-Stainless-OS: Linux\r\n" +
        "X-Stainless-Arch: x64\r\n" +
        "X-Stainless-Runtime: CPython\r\n" +
        "X-Stainless-Runtime-Version: 3.12.3\r\n" +
        "Authorization: Bearer cllama-agent-7f3c9a1e5b2d4f6a8c0e\r\n" +
        "X-Stainless-Async: false\r\n" +
        "x-stainless-retry-count: 0\r\n" +
        "x-stainless-read-timeout: 600\r\n" +
        "Content-Length: 1432\r\n" +
        "\r\n");
}
