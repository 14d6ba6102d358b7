using System.Buffers;
using System.Text;

namespace Cllama.Tests.Http;

/// <summary>Builds multi-segment sequences, so parsers meet lines split across reads the way a socket delivers them.</summary>
static class Segments
{
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static ReadOnlySequence<byte> One(byte[] data) => new(data);

    /// <summary>Each byte in its own segment.</summary>
    public static ReadOnlySequence<byte> PerByte(byte[] data) =>
        Build(Enumerable.Range(0, data.Length).Select(i => (ReadOnlyMemory<byte>)data.AsMemory(i, 1)).ToArray());

    /// <summary>Two segments, cut at <paramref name="at"/>.</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, int at) => Build([data.AsMemory(0, at), data.AsMemory(at)]);

    static ReadOnlySequence<byte> Build(ReadOnlyMemory<byte>[] parts)
    {
        if (parts.Length == 0)
            return ReadOnlySequence<byte>.Empty;
        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
            last = last.Append(part);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
