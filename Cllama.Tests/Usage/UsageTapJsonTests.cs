using System.Text;
using Cllama.Usage;
using static Cllama.Tests.Usage.SseSamples;
using static Cllama.Tests.Usage.TapFeeding;

namespace Cllama.Tests.Usage;

public class UsageTapJsonTests
{
    const string OpenAIChat =
        """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}},"system_fingerprint":"fp_1"}""";

    const string AnthropicMessage =
        """
        {
          "id": "msg_1", "type": "message", "role": "assistant",
          "content": [{"type": "text", "text": "Hi"}],
          "model": "claude-sonnet-4-20250514", "stop_reason": "end_turn", "stop_sequence": null,
          "usage": {"input_tokens": 10, "cache_creation_input_tokens": 20, "cache_read_input_tokens": 30,
                    "cache_creation": {"ephemeral_5m_input_tokens": 20, "ephemeral_1h_input_tokens": 0},
                    "output_tokens": 40, "service_tier": "standard"}
        }
        """;

    const string ResponsesBody =
        """{"id":"resp_1","object":"response","status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":"Hi","annotations":[]}]}],"usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":6},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":123}}""";

    const string EmbeddingsBody =
        """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0023064255,-0.009327292,-0.0028842222,1e-05]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}""";

    public static TheoryData<UsageDialect, string, UsageReport> Bodies => new()
    {
        { UsageDialect.OpenAI, OpenAIChat, new() { InputTokens = 19, OutputTokens = 10, CachedReadTokens = 4, Seen = true } },
        { UsageDialect.Anthropic, AnthropicMessage, new() { InputTokens = 60, OutputTokens = 40, CachedReadTokens = 30, CacheWriteTokens = 20, Seen = true } },
        { UsageDialect.OpenAI, ResponsesBody, new() { InputTokens = 36, OutputTokens = 87, CachedReadTokens = 6, Seen = true } },
        { UsageDialect.OpenAI, EmbeddingsBody, new() { InputTokens = 8, Seen = true } },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Each_format_in_one_feed_and_byte_at_a_time(UsageDialect dialect, string body, UsageReport expected)
    {
        Assert.Equal(expected, OneFeed(dialect, false, Bytes(body)));
        Assert.Equal(expected, ByteAtATime(dialect, false, Bytes(body)));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Every_two_way_split(UsageDialect dialect, string body, UsageReport expected)
    {
        var bytes = Bytes(body);
        for (int cut = 0; cut <= bytes.Length; cut++)
            Assert.Equal(expected, InPieces(dialect, false, bytes, [cut, bytes.Length - cut]));
    }

    [Fact]
    public void OpenRouter_cost_in_a_JSON_body()
    {
        var body = Bytes("""{"id":"gen-1","choices":[],"usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120,"cost":0.0042,"prompt_tokens_details":{"cached_tokens":50,"cache_write_tokens":25}}}""");
        var expected = new UsageReport { InputTokens = 100, OutputTokens = 20, CachedReadTokens = 50, CacheWriteTokens = 25, ReportedCostUsd = 0.0042m, Seen = true };
        Assert.Equal(expected, RandomSplits(UsageDialect.OpenAI, false, body, seed: 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Megabytes_of_string_content_before_usage_are_never_buffered(int seed)
    {
        // An image response: a 3 MB base64 string, escapes at awkward places, then usage.
        string image = Convert.ToBase64String(new byte[2_300_000]);
        var body = Bytes($$$$"""{"data":[{"b64_json":"{{{{image}}}}","revised_prompt":"a \"usage\":{\"prompt_tokens\":999} \\"}],"note":"{{{{image}}}}\\\\","usage":{"input_tokens":50,"output_tokens":4160,"input_tokens_details":{"cached_tokens":0}}}""");
        var expected = new UsageReport { InputTokens = 50, OutputTokens = 4160, Seen = true };
        Assert.Equal(expected, OneFeed(UsageDialect.OpenAI, false, body));
        Assert.Equal(expected, RandomSplits(UsageDialect.OpenAI, false, body, seed, maxPiece: 8192));
        Assert.Equal(expected, InPieces(UsageDialect.OpenAI, false, body, Chunks(body.Length, 65536)));
    }

    [Fact]
    public void Only_a_partial_token_is_held_between_feeds()
    {
        string image = Convert.ToBase64String(new byte[1_000_000]);
        var body = Bytes($$$"""{"data":[{"b64_json":"{{{image}}}"}],"usage":{"input_tokens":5,"output_tokens":6}}""");
        var tap = new UsageTap(UsageDialect.OpenAI, isEventStream: false);
        int most = 0;
        for (int at = 0; at < body.Length; at += 8192)
        {
            tap.Feed(body.AsSpan(at, Math.Min(8192, body.Length - at)));
            most = Math.Max(most, tap.BufferedBytes);
        }
        Assert.InRange(most, 0, JsonStringCollapser.MaxKept + 2);
        Assert.Equal(6, tap.Report.OutputTokens);
    }

    [Fact]
    public void Megabytes_of_numbers_stream_through_a_small_tail()
    {
        var numbers = string.Join(",", Enumerable.Repeat("-0.0123456", 400_000));
        var body = Bytes($$$"""{"data":[{"embedding":[{{{numbers}}}]}],"usage":{"prompt_tokens":8,"total_tokens":8}}""");
        Assert.Equal(8, OneFeed(UsageDialect.OpenAI, false, body).InputTokens);
    }

    [Fact]
    public void Usage_nested_below_the_top_level_is_ignored()
    {
        var body = Bytes("""{"choices":[{"message":{"usage":{"prompt_tokens":999}}}],"meta":{"usage":{"prompt_tokens":998}},"response":{"usage":{"input_tokens":997}},"list":[{"usage":{}}]}""");
        Assert.Equal(UsageReport.None, ByteAtATime(UsageDialect.OpenAI, false, body));
        var anthropic = Bytes("""{"message":{"x":{"usage":{"input_tokens":5}}},"usage":{"input_tokens":1,"output_tokens":2}}""");
        Assert.Equal(new UsageReport { InputTokens = 1, OutputTokens = 2, Seen = true }, ByteAtATime(UsageDialect.Anthropic, false, anthropic));
    }

    [Fact]
    public void Fields_outside_usage_with_usage_names_do_not_count()
    {
        var body = Bytes("""{"prompt_tokens":5,"usage":{"details":{"prompt_tokens":7},"prompt_tokens_details":{"x":{"cached_tokens":9}},"prompt_tokens":1,"completion_tokens":2}}""");
        Assert.Equal(new UsageReport { InputTokens = 1, OutputTokens = 2, Seen = true }, OneFeed(UsageDialect.OpenAI, false, body));
    }

    [Fact]
    public void Null_usage_and_error_bodies_count_nothing()
    {
        Assert.Equal(UsageReport.None, OneFeed(UsageDialect.OpenAI, false, Bytes("""{"id":"x","usage":null}""")));
        Assert.Equal(UsageReport.None, OneFeed(UsageDialect.OpenAI, false, Bytes("""{"error":{"message":"bad","type":"invalid_request_error"}}""")));
        Assert.Equal(UsageReport.None, OneFeed(UsageDialect.OpenAI, false, Bytes("<html><body>502 Bad Gateway</body></html>")));
    }

    [Fact]
    public void Usage_read_before_a_malformed_tail_is_kept()
    {
        var body = Bytes("""{"usage":{"prompt_tokens":3,"completion_tokens":4}, oops""");
        Assert.Equal(new UsageReport { InputTokens = 3, OutputTokens = 4, Seen = true }, ByteAtATime(UsageDialect.OpenAI, false, body));
    }

    [Fact]
    public void Counts_written_as_floats_are_accepted()
    {
        var body = Bytes("""{"usage":{"prompt_tokens":12.0,"completion_tokens":3,"total_tokens":15.0}}""");
        Assert.Equal(12, OneFeed(UsageDialect.OpenAI, false, body).InputTokens);
    }

    [Fact]
    public void Non_ascii_content_split_inside_a_multibyte_character()
    {
        var body = Encoding.UTF8.GetBytes("""{"choices":[{"message":{"content":"héllo wörld 🚀 ümlaut"}}],"usage":{"prompt_tokens":2,"completion_tokens":3}}""");
        for (int cut = 0; cut <= body.Length; cut++)
            Assert.Equal(3, InPieces(UsageDialect.OpenAI, false, body, [cut, body.Length - cut]).OutputTokens);
    }

    static IEnumerable<int> Chunks(int length, int size)
    {
        for (int left = length; left > 0; left -= size)
            yield return Math.Min(size, left);
    }
}
