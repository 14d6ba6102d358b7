using Cllama.Usage;
using static Cllama.Tests.Usage.SseSamples;
using static Cllama.Tests.Usage.TapFeeding;

namespace Cllama.Tests.Usage;

public class UsageTapEventTests
{
    static readonly UsageReport OpenAIExpected = new()
        { InputTokens = 1200, OutputTokens = 42, CachedReadTokens = 1024, Seen = true };

    static readonly UsageReport AnthropicExpected = new()
        { InputTokens = 3025, OutputTokens = 15, CachedReadTokens = 2000, CacheWriteTokens = 1000, Seen = true };

    public static TheoryData<string> Newlines => new() { "\n", "\r\n", "\r" };

    [Theory]
    [MemberData(nameof(Newlines))]
    public void OpenAI_chat_stream_reads_the_usage_chunk(string newline)
    {
        var body = Bytes(WithNewlines(OpenAIStream(), newline));
        Assert.Equal(OpenAIExpected, OneFeed(UsageDialect.OpenAI, true, body));
        Assert.Equal(OpenAIExpected, ByteAtATime(UsageDialect.OpenAI, true, body));
    }

    [Theory]
    [MemberData(nameof(Newlines))]
    public void Anthropic_stream_adds_cache_tokens_to_input_and_takes_the_last_output(string newline)
    {
        var body = Bytes(WithNewlines(AnthropicStream(), newline));
        Assert.Equal(AnthropicExpected, OneFeed(UsageDialect.Anthropic, true, body));
        Assert.Equal(AnthropicExpected, ByteAtATime(UsageDialect.Anthropic, true, body));
    }

    [Theory]
    [MemberData(nameof(Newlines))]
    public void Responses_stream_reads_response_usage_from_response_completed(string newline)
    {
        var body = Bytes(WithNewlines(ResponsesStream, newline));
        var expected = new UsageReport { InputTokens = 300, OutputTokens = 50, CachedReadTokens = 128, Seen = true };
        Assert.Equal(expected, OneFeed(UsageDialect.OpenAI, true, body));
        Assert.Equal(expected, ByteAtATime(UsageDialect.OpenAI, true, body));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void Random_splits_give_the_one_feed_result(int seed)
    {
        foreach (string newline in new[] { "\n", "\r\n", "\r" })
        {
            var openai = Bytes(WithNewlines(OpenAIStream(20), newline));
            Assert.Equal(OneFeed(UsageDialect.OpenAI, true, openai), RandomSplits(UsageDialect.OpenAI, true, openai, seed));
            var anthropic = Bytes(WithNewlines(AnthropicStream(20), newline));
            Assert.Equal(OneFeed(UsageDialect.Anthropic, true, anthropic), RandomSplits(UsageDialect.Anthropic, true, anthropic, seed));
        }
    }

    // One feed reads whole events in place; a cut anywhere sends the event it falls in through the event buffer.
    [Theory]
    [MemberData(nameof(Newlines))]
    public void Every_two_way_split_gives_the_one_feed_result(string newline)
    {
        var body = Bytes(WithNewlines(AnthropicStream(1), newline));
        for (int cut = 0; cut <= body.Length; cut++)
            Assert.Equal(AnthropicExpected, InPieces(UsageDialect.Anthropic, true, body, [cut, body.Length - cut]));
    }

    [Fact]
    public void A_CR_ending_one_feed_and_an_LF_starting_the_next_are_one_line_end()
    {
        // Two data lines of one event. Were the LF a second line end, the blank line would split the JSON in two.
        var tap = new UsageTap(UsageDialect.OpenAI, isEventStream: true);
        tap.Feed("data: {\"usage\":\r"u8);
        tap.Feed("\ndata: {\"prompt_tokens\":5,\"completion_tokens\":6}}\r"u8);
        tap.Feed("\n\r"u8);
        tap.Feed("\n"u8);
        Assert.Equal(new UsageReport { InputTokens = 5, OutputTokens = 6, Seen = true }, tap.Report);
    }

    [Fact]
    public void Mixed_newline_styles_in_one_stream()
    {
        var tap = new UsageTap(UsageDialect.OpenAI, isEventStream: true);
        tap.Feed(Bytes(": comment\r\nevent: x\rdata: {\"choices\":[],\n" + "data: \"usage\":{\"prompt_tokens\":7}}\r\n\n"));
        Assert.Equal(7, tap.Report.InputTokens);
    }

    [Fact]
    public void OpenRouter_reported_cost_is_read_as_a_decimal()
    {
        var body = Bytes(OpenAIContentChunk("hi") +
            """data: {"id":"gen-1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"cost":0.000123,"is_byok":false,"prompt_tokens_details":{"cached_tokens":0},"cost_details":{"upstream_inference_cost":null}}}""" + "\n\ndata: [DONE]\n\n");
        var report = ByteAtATime(UsageDialect.OpenAI, true, body);
        Assert.Equal(new UsageReport { InputTokens = 10, OutputTokens = 5, ReportedCostUsd = 0.000123m, Seen = true }, report);
    }

    [Fact]
    public void Reported_cost_in_exponent_form()
    {
        var body = Bytes("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"cost\":1.5e-05}}\n\n");
        Assert.Equal(0.000015m, OneFeed(UsageDialect.OpenAI, true, body).ReportedCostUsd);
    }

    [Fact]
    public void Anthropic_message_delta_input_and_cache_counts_are_taken_when_non_zero()
    {
        var body = Bytes(
            "event: message_start\n" +
            """data: {"type":"message_start","message":{"usage":{"input_tokens":10,"cache_creation_input_tokens":20,"cache_read_input_tokens":30,"output_tokens":1}}}""" + "\n\n" +
            "event: message_delta\n" +
            """data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":30,"output_tokens":99}}""" + "\n\n");
        var expected = new UsageReport { InputTokens = 62, OutputTokens = 99, CachedReadTokens = 30, CacheWriteTokens = 20, Seen = true };
        Assert.Equal(expected, OneFeed(UsageDialect.Anthropic, true, body));
    }

    [Fact]
    public void Usage_nested_below_the_top_level_is_ignored()
    {
        var body = Bytes(
            """data: {"choices":[{"delta":{"content":"x"},"usage":{"prompt_tokens":999}}],"meta":{"usage":{"prompt_tokens":998}},"message":{"usage":{"prompt_tokens":997}},"usage":null}""" + "\n\n" +
            """data: {"type":"x","response":{"output":[{"usage":{"input_tokens":996}}]}}""" + "\n\n");
        Assert.Equal(UsageReport.None, OneFeed(UsageDialect.OpenAI, true, body));
        // message.usage counts only in the Anthropic dialect, response.usage only in the OpenAI one.
        var anthropic = Bytes("""data: {"type":"x","response":{"usage":{"input_tokens":5}}}""" + "\n\n");
        Assert.False(OneFeed(UsageDialect.Anthropic, true, anthropic).Seen);
    }

    [Fact]
    public void Huge_and_escaped_string_content_before_usage()
    {
        string huge = new string('a', 3 * 1024 * 1024);
        string escaped = """\"usage\":{\"prompt_tokens\":999} \\\" \\ \u0022 \n""";
        var body = Bytes(
            OpenAIContentChunk(huge) + OpenAIContentChunk(escaped) + OpenAIContentChunk(escaped + huge + "\\\\") +
            OpenAIUsageChunk + "data: [DONE]\n\n");
        Assert.Equal(OpenAIExpected, OneFeed(UsageDialect.OpenAI, true, body));
        Assert.Equal(OpenAIExpected, RandomSplits(UsageDialect.OpenAI, true, body, seed: 1, maxPiece: 8192));
    }

    [Fact]
    public void Responses_completed_event_repeating_megabytes_of_output_still_yields_its_usage()
    {
        string text = new string('x', 2 * 1024 * 1024);
        var body = Bytes("event: response.completed\n" +
            $$$$"""data: {"type":"response.completed","response":{"output":[{"type":"message","content":[{"type":"output_text","text":"{{{{text}}}}"}]}],"usage":{"input_tokens":3,"output_tokens":4}}}""" + "\n\n");
        Assert.Equal(new UsageReport { InputTokens = 3, OutputTokens = 4, Seen = true }, OneFeed(UsageDialect.OpenAI, true, body));
    }

    [Fact]
    public void An_event_holds_only_its_collapsed_payload()
    {
        var body = Bytes(OpenAIContentChunk(new string('a', 1_000_000)));
        var tap = new UsageTap(UsageDialect.OpenAI, isEventStream: true);
        int most = 0;
        for (int at = 0; at < body.Length; at += 8192)
        {
            tap.Feed(body.AsSpan(at, Math.Min(8192, body.Length - at)));
            most = Math.Max(most, tap.BufferedBytes);
        }
        Assert.InRange(most, 1, 400);
        Assert.Equal(0, tap.BufferedBytes); // dispatched at the blank line
    }

    [Fact]
    public void An_event_too_large_to_buffer_is_skipped_and_later_events_still_count()
    {
        var numbers = string.Join(",", Enumerable.Repeat("123456789", 150_000)); // ~1.5 MB with no strings to collapse
        var body = Bytes($$"""data: {"usage":{"prompt_tokens":999,"cost":5},"big":[{{numbers}}]}""" + "\n\n" + OpenAIUsageChunk);
        // In the relay's 16 KiB reads, so the big event goes through the event buffer (one feed would read it in place).
        // Its cost is the tell: the later usage chunk reports none, so a read of the skipped event would show.
        var pieces = Enumerable.Repeat(16 * 1024, body.Length / (16 * 1024)).Append(body.Length % (16 * 1024));
        Assert.Equal(OpenAIExpected, InPieces(UsageDialect.OpenAI, true, body, pieces));
    }

    [Fact]
    public void Non_json_and_malformed_payloads_count_nothing()
    {
        var body = Bytes("data: [DONE]\n\ndata: {\"usage\":{\"prompt_tokens\":5\n\ndata:\n\ndata\n\n: only a comment\n\nretry: 10\n\n");
        Assert.Equal(UsageReport.None, OneFeed(UsageDialect.OpenAI, true, body));
    }

    [Fact]
    public void Data_without_a_space_and_data_field_without_colon()
    {
        var body = Bytes("data:{\"usage\":\ndata\ndata:{\"prompt_tokens\":3}}\n\n");
        Assert.Equal(3, OneFeed(UsageDialect.OpenAI, true, body).InputTokens);
    }

    [Fact]
    public void Fields_that_only_start_like_data_are_not_data()
    {
        var body = Bytes("datum: {\"usage\":{\"prompt_tokens\":5}}\n\ndata2: {\"usage\":{\"prompt_tokens\":6}}\n\n");
        Assert.False(OneFeed(UsageDialect.OpenAI, true, body).Seen);
    }

    [Fact]
    public void A_last_event_without_its_blank_line_is_still_read_at_complete()
    {
        var body = Bytes(OpenAIContentChunk("a") + OpenAIUsageChunk.TrimEnd('\n'));
        Assert.Equal(OpenAIExpected, OneFeed(UsageDialect.OpenAI, true, body));
    }

    [Fact]
    public void Report_before_complete_shows_what_was_seen_so_far()
    {
        var tap = new UsageTap(UsageDialect.Anthropic, isEventStream: true);
        var stream = AnthropicStream();
        int cut = stream.IndexOf("event: content_block_start", StringComparison.Ordinal);
        tap.Feed(Bytes(stream[..cut]));
        Assert.Equal(new UsageReport { InputTokens = 3025, OutputTokens = 1, CachedReadTokens = 2000, CacheWriteTokens = 1000, Seen = true }, tap.Report);
        tap.Complete();
        tap.Feed(Bytes(stream[cut..]));
        Assert.Equal(1, tap.Report.OutputTokens);
    }

    [Fact]
    public void Steady_state_allocates_nothing_per_event()
    {
        var events = Bytes(OpenAIStream(50) + WithNewlines(OpenAIStream(50), "\r\n"));
        var tap = new UsageTap(UsageDialect.OpenAI, isEventStream: true);
        for (int i = 0; i < 3; i++)
            tap.Feed(events);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
            for (int at = 0; at < events.Length; at += 100)
                tap.Feed(events.AsSpan(at, Math.Min(100, events.Length - at)));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(1200, tap.Report.InputTokens);
    }

    [Fact]
    public void Output_is_not_double_counted_when_an_OpenAI_compatible_server_repeats_cumulative_usage()
    {
        var body = Bytes(
            OpenAIContentChunk("a", usage: """{"prompt_tokens":9,"completion_tokens":1}""") +
            OpenAIContentChunk("b", usage: """{"prompt_tokens":9,"completion_tokens":2}""") +
            OpenAIContentChunk("", usage: """{"prompt_tokens":9,"completion_tokens":3}""", finish: "\"stop\""));
        Assert.Equal(new UsageReport { InputTokens = 9, OutputTokens = 3, Seen = true }, OneFeed(UsageDialect.OpenAI, true, body));
    }
}
