using System.Buffers;

namespace Cllama.Http;

/// <summary>
/// Incremental parser for a chunked request body (RFC 9112 §7.1). Unlike the head parser it consumes as it goes:
/// each call appends the chunk data it can see to <c>output</c> and leaves the reader after what it used.
/// Trailer fields are read and discarded.
/// </summary>
public struct ChunkedBodyParser
{
    enum State { Size, Data, DataEnd, Trailer, Done }

    State _state;
    long _chunkRemaining;
    long _total;
    int _trailerBytes;

    public readonly bool IsDone => _state == State.Done;

    /// <returns>true once the terminating chunk and trailers have been read.</returns>
    public bool TryParse(ref SequenceReader<byte> reader, IBufferWriter<byte> output, HttpLimits limits)
    {
        while (true)
        {
            switch (_state)
            {
                case State.Size:
                    if (!Http1Parser.TryReadLine(ref reader, limits.MaxChunkLineBytes, HttpRejection.BadChunk, out var sizeLine, HttpRejection.BadChunk))
                        return false;
                    _chunkRemaining = ParseSize(Http1Parser.Flatten(sizeLine));
                    if (_chunkRemaining > limits.MaxBodyBytes - _total)
                        HttpRejections.Throw(HttpRejection.BodyTooLarge);
                    _total += _chunkRemaining;
                    _state = _chunkRemaining == 0 ? State.Trailer : State.Data;
                    break;

                case State.Data:
                    if (reader.Remaining == 0)
                        return false;
                    long take = Math.Min(_chunkRemaining, reader.Remaining);
                    foreach (var segment in reader.UnreadSequence.Slice(0, take))
                        output.Write(segment.Span);
                    reader.Advance(take);
                    _chunkRemaining -= take;
                    if (_chunkRemaining == 0)
                        _state = State.DataEnd;
                    break;

                case State.DataEnd:
                    if (reader.Remaining < 2)
                        return false;
                    if (!reader.IsNext("\r\n"u8, advancePast: true))
                        HttpRejections.Throw(HttpRejection.BadChunk);
                    _state = State.Size;
                    break;

                case State.Trailer:
                    int budget = limits.MaxHeaderBytes - _trailerBytes;
                    long before = reader.Consumed;
                    if (!Http1Parser.TryReadLine(ref reader, budget, HttpRejection.HeadersTooLarge, out var trailer, HttpRejection.BadChunk))
                        return false;
                    _trailerBytes += (int)(reader.Consumed - before);
                    if (trailer.IsEmpty)
                        _state = State.Done;
                    break;

                case State.Done:
                    return true;
            }
        }
    }

    /// <summary>1*HEXDIG, then optional whitespace and ";extension" parts, which are ignored.</summary>
    static long ParseSize(ReadOnlySpan<byte> line)
    {
        long size = 0;
        int i = 0;
        for (; i < line.Length; i++)
        {
            int digit = HexValue(line[i]);
            if (digit < 0)
                break;
            if (i >= 15) // 15 hex digits already exceed any body limit; stops overflow
                HttpRejections.Throw(HttpRejection.BodyTooLarge);
            size = size * 16 + digit;
        }
        if (i == 0)
            HttpRejections.Throw(HttpRejection.BadChunk);
        var rest = line[i..].TrimStart(" \t"u8);
        if (rest.Length > 0 && rest[0] != ';')
            HttpRejections.Throw(HttpRejection.BadChunk);
        foreach (byte b in rest)
            if ((b < 0x20 && b != '\t') || b == 0x7F)
                HttpRejections.Throw(HttpRejection.BadChunk);
        return size;
    }

    static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
