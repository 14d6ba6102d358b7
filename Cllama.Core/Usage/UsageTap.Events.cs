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
            if (_line == LineState.Start && _fieldMatched == 0 && !_eventHasData)
            {
                int whole = TryWholeEvent(bytes);
                if (whole > 0)
                {
                    bytes = bytes[whole..];
                    if (bytes.IsEmpty)
                        return;
                    continue;
                }
            }
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

    /// <summary>
    /// The common case, read without copying: an event that is one <c>data:</c> line and its blank line, all in this
    /// feed. Its payload is checked (and if need be parsed) in place; only events split across feeds, spread over
    /// several lines or carrying other fields go through the event buffer. Returns the bytes it consumed, or 0.
    /// </summary>
    int TryWholeEvent(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith("data:"u8))
            return 0;
        int end = bytes.IndexOfAny((byte)'\r', (byte)'\n');
        if (end < 0)
            return 0;
        var value = bytes[5..end];
        int next = end + 1;
        if (bytes[end] == '\r')
        {
            if (next == bytes.Length)
                return 0;
            if (bytes[next] == '\n')
                next++;
        }
        // The blank line must follow at once; a CR ending the feed is a line end whose LF may come next time.
        if (next == bytes.Length)
            return 0;
        int consumed;
        if (bytes[next] == '\n')
            consumed = next + 1;
        else if (bytes[next] != '\r')
            return 0; // another line of the same event
        else if (next + 1 == bytes.Length)
        {
            consumed = next + 1;
            _afterCR = true;
        }
        else
            consumed = bytes[next + 1] == '\n' ? next + 2 : next + 1;

        if (!value.IsEmpty && value[0] == ' ')
            value = value[1..];
        var payload = value.TrimStart(" \t"u8);
        if (!payload.IsEmpty && payload[0] == '{' && MayCarryUsage(payload))
            ScanDocument(payload);
        return consumed;
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
