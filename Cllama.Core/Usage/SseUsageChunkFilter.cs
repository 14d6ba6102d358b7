using System.Buffers;
using System.Text.Json;

namespace Cllama.Usage;

/// <summary>
/// Withholds the usage-only chunk (<c>"choices":[]</c> with a <c>usage</c> object) that the proxy's own
/// <c>stream_options.include_usage=true</c> added to a streamed chat response, so the client sees what it would have
/// seen going direct. Every other event is forwarded byte for byte as soon as its blank line arrives; a usage
/// object on a chunk that still has choices is the provider's, not ours, and passes through.
/// </summary>
public sealed class SseUsageChunkFilter
{
    /// <summary>A usage-only chunk is well under 1 KiB; a longer event cannot be one and streams through unheld.</summary>
    internal const int MaxHeldEventBytes = 64 * 1024;

    enum CrEnded : byte { Nothing, Line, ForwardedEvent, WithheldEvent }

    readonly PooledBuffer _held = new(MaxHeldEventBytes);
    readonly PooledBuffer _data = new(MaxHeldEventBytes);
    CrEnded _afterCR;
    bool _lineHasBytes;
    bool _passThrough;

    /// <summary>Writes to <paramref name="output"/> every complete event of <paramref name="input"/> to forward now.</summary>
    public void Process(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        int pos = 0, eventStart = 0;
        if (_afterCR != CrEnded.Nothing && !input.IsEmpty)
        {
            if (input[0] == '\n')
            {
                // The second half of a CRLF split across reads goes where its CR went.
                pos = 1;
                if (_afterCR == CrEnded.ForwardedEvent)
                    output.Write("\n"u8);
                if (_afterCR != CrEnded.Line)
                    eventStart = 1;
            }
            _afterCR = CrEnded.Nothing;
        }
        while (pos < input.Length)
        {
            int i = input[pos..].IndexOfAny((byte)'\r', (byte)'\n');
            if (i < 0)
            {
                _lineHasBytes = true;
                break;
            }
            bool blank = i == 0 && !_lineHasBytes;
            int end = pos + i + 1;
            bool crAtEnd = input[pos + i] == '\r' && end == input.Length;
            if (input[pos + i] == '\r' && end < input.Length && input[end] == '\n')
                end++;
            pos = end;
            _lineHasBytes = false;
            if (!blank)
            {
                if (crAtEnd)
                    _afterCR = CrEnded.Line;
                continue;
            }
            bool forwarded = EndEvent(input[eventStart..pos], output);
            eventStart = pos;
            if (crAtEnd)
                _afterCR = forwarded ? CrEnded.ForwardedEvent : CrEnded.WithheldEvent;
        }
        Hold(input[eventStart..], output);
    }

    /// <summary>At end of stream: writes the held incomplete event, unless it is the usage-only chunk.</summary>
    public void Flush(IBufferWriter<byte> output)
    {
        if (_held.Length > 0 && !IsUsageOnly(_held.Span))
            output.Write(_held.Span);
        _held.Release();
        _data.Release();
        _afterCR = CrEnded.Nothing;
        _lineHasBytes = _passThrough = false;
    }

    void Hold(ReadOnlySpan<byte> partial, IBufferWriter<byte> output)
    {
        if (partial.IsEmpty)
            return;
        if (!_passThrough && _held.Length + partial.Length > MaxHeldEventBytes)
        {
            output.Write(_held.Span);
            _held.Clear();
            _passThrough = true;
        }
        if (_passThrough)
            output.Write(partial);
        else
            _held.Append(partial);
    }

    /// <summary>Decides on the event whose last bytes (through its blank line) are <paramref name="rest"/>.</summary>
    bool EndEvent(ReadOnlySpan<byte> rest, IBufferWriter<byte> output)
    {
        if (_passThrough)
        {
            _passThrough = false;
            output.Write(rest);
            return true;
        }
        if (_held.Length + rest.Length > MaxHeldEventBytes)
        {
            // Too long to be a usage-only chunk: forwarded unexamined.
            output.Write(_held.Span);
            output.Write(rest);
            _held.Clear();
            return true;
        }
        var evt = rest;
        if (_held.Length > 0)
        {
            _held.Append(rest);
            evt = _held.Span;
        }
        bool forward = !IsUsageOnly(evt);
        if (forward)
            output.Write(evt);
        _held.Clear();
        return forward;
    }

    /// <summary>Whether the event's data (its data lines joined with LF) is a usage-only chunk.</summary>
    bool IsUsageOnly(ReadOnlySpan<byte> evt)
    {
        ReadOnlySpan<byte> first = default;
        int dataLines = 0;
        _data.Clear();
        while (!evt.IsEmpty)
        {
            int i = evt.IndexOfAny((byte)'\r', (byte)'\n');
            var line = i < 0 ? evt : evt[..i];
            int next = i < 0 ? evt.Length : evt[i] == '\r' && i + 1 < evt.Length && evt[i + 1] == '\n' ? i + 2 : i + 1;
            evt = evt[next..];
            if (!TryDataValue(line, out var value))
                continue;
            if (++dataLines == 1)
            {
                first = value;
                continue;
            }
            if (dataLines == 2)
                _data.Append(first);
            _data.Append((byte)'\n');
            _data.Append(value);
        }
        return dataLines > 0 && IsUsageOnlyJson(dataLines == 1 ? first : _data.Span);
    }

    static bool TryDataValue(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (line.SequenceEqual("data"u8))
            return true;
        if (!line.StartsWith("data:"u8))
            return false;
        value = line[5..];
        if (!value.IsEmpty && value[0] == ' ')
            value = value[1..];
        return true;
    }

    static bool IsUsageOnlyJson(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        bool emptyChoices = false, usage = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                        return false;
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.EndArray)
                        return false;
                    emptyChoices = true;
                    continue;
                }
                bool isUsage = reader.ValueTextEquals("usage"u8);
                reader.Read();
                if (isUsage)
                    usage = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }
        return emptyChoices && usage;
    }
}
