using System.Buffers;
using System.Text;
using Cllama.Http;

namespace Cllama.Tests.Http;

public class ChunkedBodyParserTests
{
    static readonly HttpLimits Defaults = new();

    /// <summary>
    /// Feeds <paramref name="raw"/> the way the connection does: each call sees what it left unconsumed plus the next
    /// piece; the pieces end at <paramref name="cuts"/>. Returns the body and how many bytes the parser consumed.
    /// </summary>
    static (string Body, long Consumed, bool Done) Feed(byte[] raw, HttpLimits limits, params int[] cuts)
    {
        var parser = new ChunkedBodyParser();
        var output = new ArrayBufferWriter<byte>();
        long consumed = 0;
        foreach (int end in cuts.Append(raw.Length))
        {
            if (end < consumed)
                continue;
            var reader = new SequenceReader<byte>(Segments.PerByte(raw[(int)consumed..end]));
            bool done = parser.TryParse(ref reader, output, limits);
            consumed += reader.Consumed;
            Assert.Equal(done, parser.IsDone);
            if (done)
                break;
        }
        return (Encoding.Latin1.GetString(output.WrittenSpan), consumed, parser.IsDone);
    }

    public static TheoryData<string, string> ValidBodies => new()
    {
        { "5\r\nhello\r\n0\r\n\r\n", "hello" },
        { "0\r\n\r\n", "" },
        { "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world" },
        { "A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n", "0123456789abcdefghij" },
        { "5;name=value;flag\r\nhello\r\n0;last\r\n\r\n", "hello" },
        { "5 ;ext=\"quoted value\"\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5\r\nhello\r\n0\r\nTrailer-One: a\r\nTrailer-Two: b\r\n\r\n", "hello" },
        { "00005\r\nhe\r\nl\r\n0\r\n\r\n", "he\r\nl" },
    };

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void Valid_bodies_split_at_every_byte_position(string framed, string body)
    {
        var raw = Encoding.Latin1.GetBytes(framed + "GET /next");
        for (int at = 0; at <= framed.Length; at++)
        {
            var (got, consumed, done) = Feed(raw, Defaults, at);
            Assert.True(done, $"split at {at}");
            Assert.Equal(body, got);
            Assert.Equal(framed.Length, consumed); // the pipelined next request is left alone
        }
    }

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void Valid_bodies_fed_one_byte_at_a_time(string framed, string body)
    {
        var raw = Encoding.Latin1.GetBytes(framed);
        var (got, consumed, done) = Feed(raw, Defaults, Enumerable.Range(1, raw.Length - 1).ToArray());
        Assert.True(done);
        Assert.Equal(body, got);
        Assert.Equal(raw.Length, consumed);
    }

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void Every_prefix_is_incomplete(string framed, string body)
    {
        _ = body;
        var raw = Encoding.Latin1.GetBytes(framed);
        for (int length = 0; length < raw.Length; length++)
            Assert.False(Feed(raw[..length], Defaults).Done, $"prefix of {length}");
    }

    [Theory]
    [InlineData("x\r\n", HttpRejection.BadChunk)]
    [InlineData("\r\n", HttpRejection.BadChunk)]
    [InlineData("-5\r\nhello\r\n", HttpRejection.BadChunk)]
    [InlineData("0x5\r\nhello\r\n", HttpRejection.BadChunk)]
    [InlineData("5 x\r\nhello\r\n", HttpRejection.BadChunk)]
    [InlineData("5;a\0b\r\nhello\r\n", HttpRejection.BadChunk)]
    [InlineData("5\nhello\r\n0\r\n\r\n", HttpRejection.BadChunk)]
    [InlineData("5\r\nhelloXX0\r\n\r\n", HttpRejection.BadChunk)]
    [InlineData("5\r\nhello\n0\r\n\r\n", HttpRejection.BadChunk)]
    [InlineData("5\r\nhello\r\n0\r\nX: y\n\r\n", HttpRejection.BadChunk)]
    [InlineData("5\r\nhello\r\n0\r\n\n", HttpRejection.BadChunk)]
    [InlineData("fffffffffffffffff\r\n", HttpRejection.BodyTooLarge)]
    [InlineData("7fffffffffffffff\r\n", HttpRejection.BodyTooLarge)]
    public void Bad_framing_is_refused(string framed, HttpRejection reason)
    {
        var raw = Encoding.Latin1.GetBytes(framed);
        var e = Assert.Throws<HttpRejectException>(() => Feed(raw, Defaults));
        Assert.Equal(reason, e.Reason);
        var perByte = Assert.Throws<HttpRejectException>(() => Feed(raw, Defaults, Enumerable.Range(1, raw.Length - 1).ToArray()));
        Assert.Equal(reason, perByte.Reason);
    }

    [Fact]
    public void Chunk_size_line_past_its_limit_is_refused_before_its_end_arrives()
    {
        var limits = new HttpLimits { MaxChunkLineBytes = 64 };
        Assert.True(Feed(Encoding.Latin1.GetBytes("5;" + new string('e', 59) + "\r\nhello\r\n0\r\n\r\n"), limits).Done);
        var e = Assert.Throws<HttpRejectException>(() => Feed(Encoding.Latin1.GetBytes("5;" + new string('e', 62)), limits));
        Assert.Equal(HttpRejection.BadChunk, e.Reason);
    }

    [Fact]
    public void Body_at_the_limit_is_accepted_and_one_byte_past_is_413_before_the_data_arrives()
    {
        var limits = new HttpLimits { MaxBodyBytes = 10 };
        Assert.Equal("0123456789", Feed(Encoding.Latin1.GetBytes("4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n"), limits).Body);
        var e = Assert.Throws<HttpRejectException>(() => Feed(Encoding.Latin1.GetBytes("4\r\n0123\r\n7\r\n"), limits));
        Assert.Equal(HttpRejection.BodyTooLarge, e.Reason);
        Assert.Equal(413, e.Status);
    }

    [Fact]
    public void Trailers_past_the_header_limit_are_431()
    {
        var limits = new HttpLimits { MaxHeaderBytes = 32 };
        Assert.True(Feed(Encoding.Latin1.GetBytes("0\r\nX: " + new string('t', 25) + "\r\n\r\n"), limits).Done);
        var e = Assert.Throws<HttpRejectException>(() => Feed(Encoding.Latin1.GetBytes("0\r\nX: " + new string('t', 26) + "\r\n\r\n"), limits));
        Assert.Equal(431, e.Status);
    }
}
