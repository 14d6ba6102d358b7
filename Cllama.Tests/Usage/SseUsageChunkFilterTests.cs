using System.Buffers;
using System.Text;
using Cllama.Usage;
using static Cllama.Tests.Usage.SseSamples;

namespace Cllama.Tests.Usage;

public class SseUsageChunkFilterTests
{
    static string Filter(string input, IEnumerable<int> sizes)
    {
        var bytes = Bytes(input);
        var filter = new SseUsageChunkFilter();
        var output = new ArrayBufferWriter<byte>();
        int at = 0;
        foreach (int n in sizes)
        {
            filter.Process(bytes.AsSpan(at, n), output);
            at += n;
        }
        Assert.Equal(bytes.Length, at);
        filter.Flush(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    static string OneFeed(string input) => Filter(input, [Encoding.UTF8.GetByteCount(input)]);

    static string ByteAtATime(string input) => Filter(input, Enumerable.Repeat(1, Encoding.UTF8.GetByteCount(input)));

    static IEnumerable<int> RandomSizes(int length, int seed)
    {
        var random = new Random(seed);
        for (int left = length; left > 0;)
        {
            int n = Math.Min(left, random.Next(0, 30));
            yield return n;
            left -= n;
        }
    }

    public static TheoryData<string> Newlines => new() { "\n", "\r\n", "\r" };

    [Theory]
    [MemberData(nameof(Newlines))]
    public void The_usage_only_chunk_is_withheld_and_everything_else_is_byte_for_byte(string newline)
    {
        string stream = WithNewlines(OpenAIStream(), newline);
        string expected = stream.Replace(WithNewlines(OpenAIUsageChunk, newline), "");
        Assert.NotEqual(stream, expected);
        Assert.Equal(expected, OneFeed(stream));
        Assert.Equal(expected, ByteAtATime(stream));
        for (int seed = 0; seed < 10; seed++)
            Assert.Equal(expected, Filter(stream, RandomSizes(stream.Length, seed)));
    }

    [Fact]
    public void Every_two_way_split_of_a_CRLF_stream()
    {
        string stream = WithNewlines(OpenAIContentChunk("a") + OpenAIUsageChunk + "data: [DONE]\n\n", "\r\n");
        string expected = WithNewlines(OpenAIContentChunk("a") + "data: [DONE]\n\n", "\r\n");
        for (int cut = 0; cut <= stream.Length; cut++)
            Assert.Equal(expected, Filter(stream, [cut, stream.Length - cut]));
    }

    [Fact]
    public void Usage_on_a_chunk_that_still_has_choices_is_forwarded()
    {
        string stream = OpenAIContentChunk("a") +
            OpenAIContentChunk("", usage: """{"prompt_tokens":9,"completion_tokens":1}""", finish: "\"stop\"") + "data: [DONE]\n\n";
        Assert.Equal(stream, ByteAtATime(stream));
    }

    [Fact]
    public void Empty_choices_without_usage_are_forwarded()
    {
        // Azure's first chunk carries prompt_filter_results and no choices.
        string stream = """data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0}]}""" + "\n\n" +
            """data: {"choices":[],"usage":null}""" + "\n\n" +
            """data: {"usage":{"prompt_tokens":1}}""" + "\n\n" +
            """data: {"choices":{},"usage":{"prompt_tokens":1}}""" + "\n\n";
        Assert.Equal(stream, OneFeed(stream));
    }

    [Fact]
    public void Comments_event_lines_and_done_are_forwarded_and_a_usage_event_goes_whole()
    {
        string stream = ": keep-alive\n\n" + "event: chunk\nid: 7\n" + OpenAIContentChunk("a") +
            "event: chunk\nid: 8\n" + OpenAIUsageChunk + "data: [DONE]\n\n";
        string expected = ": keep-alive\n\n" + "event: chunk\nid: 7\n" + OpenAIContentChunk("a") + "data: [DONE]\n\n";
        Assert.Equal(expected, ByteAtATime(stream));
    }

    [Fact]
    public void A_usage_only_chunk_split_over_several_data_lines_is_withheld()
    {
        string stream = OpenAIContentChunk("a") + "data: {\"choices\":[],\ndata: \"usage\":{\"prompt_tokens\":1}}\n\n" + "data: [DONE]\n\n";
        Assert.Equal(OpenAIContentChunk("a") + "data: [DONE]\n\n", ByteAtATime(stream));
    }

    [Fact]
    public void Each_event_is_forwarded_as_soon_as_its_blank_line_arrives()
    {
        var filter = new SseUsageChunkFilter();
        var output = new ArrayBufferWriter<byte>();
        string chunk = OpenAIContentChunk("a");
        filter.Process(Bytes(chunk[..^1]), output);
        Assert.Equal(0, output.WrittenCount);
        filter.Process(Bytes(chunk[^1..] + "data: {\"choi"), output);
        Assert.Equal(chunk, Encoding.UTF8.GetString(output.WrittenSpan));
        filter.Flush(output);
        Assert.Equal(chunk + "data: {\"choi", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void A_CR_ending_a_withheld_event_takes_the_LF_of_the_next_read_with_it()
    {
        var filter = new SseUsageChunkFilter();
        var output = new ArrayBufferWriter<byte>();
        string usage = WithNewlines(OpenAIUsageChunk, "\r\n");
        filter.Process(Bytes(usage[..^1]), output);
        filter.Process(Bytes("\ndata: [DONE]\r\n\r\n"), output);
        filter.Flush(output);
        Assert.Equal("data: [DONE]\r\n\r\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void A_CR_ending_a_forwarded_event_forwards_the_LF_of_the_next_read()
    {
        var filter = new SseUsageChunkFilter();
        var output = new ArrayBufferWriter<byte>();
        string chunk = WithNewlines(OpenAIContentChunk("a"), "\r\n");
        filter.Process(Bytes(chunk[..^1]), output);
        Assert.Equal(chunk[..^1], Encoding.UTF8.GetString(output.WrittenSpan));
        filter.Process(Bytes("\n"), output);
        Assert.Equal(chunk, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void An_event_longer_than_the_hold_limit_streams_through_before_it_ends()
    {
        string big = OpenAIContentChunk(new string('z', SseUsageChunkFilter.MaxHeldEventBytes + 10));
        string stream = big + OpenAIUsageChunk + "data: [DONE]\n\n";
        var filter = new SseUsageChunkFilter();
        var output = new ArrayBufferWriter<byte>();
        filter.Process(Bytes(big[..^2]), output);
        Assert.Equal(big[..^2], Encoding.UTF8.GetString(output.WrittenSpan));
        filter.Process(Bytes(stream[(big.Length - 2)..]), output);
        filter.Flush(output);
        Assert.Equal(big + "data: [DONE]\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void A_usage_only_chunk_cut_off_at_the_end_of_the_stream_is_still_withheld()
    {
        string stream = OpenAIContentChunk("a") + OpenAIUsageChunk.TrimEnd('\n');
        Assert.Equal(OpenAIContentChunk("a"), OneFeed(stream));
    }

    [Fact]
    public void Blank_lines_between_events_are_kept()
    {
        string stream = "\n\n" + OpenAIContentChunk("a") + "\r\n" + OpenAIUsageChunk + "\n" + "data: [DONE]\n\n";
        Assert.Equal("\n\n" + OpenAIContentChunk("a") + "\r\n" + "\n" + "data: [DONE]\n\n", ByteAtATime(stream));
    }

    [Fact]
    public void Steady_state_allocates_nothing()
    {
        var stream = Bytes(OpenAIStream(50));
        var filter = new SseUsageChunkFilter();
        var output = new ArrayBufferWriter<byte>(stream.Length * 2);
        for (int i = 0; i < 3; i++)
        {
            filter.Process(stream, output);
            output.ResetWrittenCount();
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            for (int at = 0; at < stream.Length; at += 100)
                filter.Process(stream.AsSpan(at, Math.Min(100, stream.Length - at)), output);
            output.ResetWrittenCount();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
