namespace Cllama.Usage;

// SSE: split lines (CR, LF or CRLF, across feeds), keep only `data:` values, join an event's data lines with LF
// and scan the payload at the blank line that ends the event. Data goes straight into the event buffer through the
// string collapser, so no line is ever held whole and steady state allocates nothing.
public sealed partial class UsageTap
{
    enum LineState : byte { Start, DataValueStart, Data, Ignore }

    readonly PooledBuffer _event = new(MaxBufferedBytes);
    LineState _line;
    int _fieldMatched;
    bool _eventHasData;
    bool _afterCR;

    void FeedEvents(ReadOnlySpan<byte> bytes)
    {
        if (_afterCR)
        {
            // A CR ending the previous feed already ended its line; an LF right after it is the same line end.
            _afterCR = false;
            if (bytes[0] == '\n')
                bytes = bytes[1..];
        }
        while (true)
        {
            int i = bytes.IndexOfAny((byte)'\r', (byte)'\n');
            if (i < 0)
            {
                LinePart(bytes);
                return;
            }
            LinePart(bytes[..i]);
            LineEnd();
            if (bytes[i] == '\r')
            {
                if (i + 1 == bytes.Length)
                {
                    _afterCR = true;
                    return;
                }
                if (bytes[i + 1] == '\n')
                    i++;
            }
            bytes = bytes[(i + 1)..];
        }
    }

    void LinePart(ReadOnlySpan<byte> part)
    {
        while (!part.IsEmpty)
        {
            switch (_line)
            {
                case LineState.Start:
                    if (_fieldMatched < 5 && part[0] == "data:"u8[_fieldMatched])
                    {
                        part = part[1..];
                        if (++_fieldMatched == 5)
                        {
                            BeginDataLine();
                            _line = LineState.DataValueStart;
                        }
                    }
                    else
                        _line = LineState.Ignore; // a comment, another field, or "data" followed by other bytes
                    break;
                case LineState.DataValueStart:
                    if (part[0] == ' ')
                        part = part[1..];
                    _line = LineState.Data;
                    break;
                case LineState.Data:
                    _collapser.Append(part, _event);
                    return;
                default:
                    return;
            }
        }
    }

    void LineEnd()
    {
        if (_line == LineState.Start)
        {
            if (_fieldMatched == 0)
                DispatchEvent();
            else if (_fieldMatched == 4)
                BeginDataLine(); // "data" alone is a data line with an empty value
        }
        _line = LineState.Start;
        _fieldMatched = 0;
    }

    void BeginDataLine()
    {
        if (_eventHasData)
            _event.Append((byte)'\n');
        _eventHasData = true;
        // A JSON string cannot span lines, so each data line starts outside one.
        _collapser.Reset();
    }

    void DispatchEvent()
    {
        if (_eventHasData && !_event.Overflowed)
        {
            var payload = _event.Span.TrimStart(" \t\n"u8);
            if (!payload.IsEmpty && payload[0] == '{' && MayCarryUsage(payload))
                ScanDocument(payload);
        }
        _event.Clear();
        _eventHasData = false;
    }

    /// <summary>
    /// Cheap pre-check before the JSON parse: most streamed chunks carry no usage, or <c>"usage":null</c> (OpenAI
    /// sends that on every chunk once usage is requested), and parsing them all was a quarter of the proxy's CPU.
    /// A false positive only costs the parse.
    /// </summary>
    static bool MayCarryUsage(ReadOnlySpan<byte> payload)
    {
        while (true)
        {
            int at = payload.IndexOf("\"usage\""u8);
            if (at < 0)
                return false;
            payload = payload[(at + 7)..];
            var value = payload.TrimStart(" \t\r\n"u8);
            if (value.IsEmpty || value[0] != ':')
                continue;
            value = value[1..].TrimStart(" \t\r\n"u8);
            if (!value.StartsWith("null"u8))
                return true;
        }
    }

    void CompleteEvents()
    {
        if (_line != LineState.Start || _fieldMatched > 0)
            LineEnd();
        DispatchEvent();
    }
}
