using System.Text.Json;

namespace Cllama.Usage;

// A JSON body: the bytes go through the string collapser into a small tail buffer, the reader consumes every
// complete token with isFinalBlock=false, and only the unconsumed partial token stays for the next feed.
public sealed partial class UsageTap
{
    readonly PooledBuffer _tail = new(MaxBufferedBytes);
    JsonReaderState _jsonState;
    bool _jsonBroken;

    void FeedJson(ReadOnlySpan<byte> bytes)
    {
        // Nothing held over: read the complete tokens where they lie, and keep only the partial one at the end.
        // An empty tail means the collapser stands between tokens, outside any string, so the rest starts clean.
        if (_tail.Length == 0 && !_jsonBroken)
            bytes = bytes[Scan(bytes)..];
        while (!bytes.IsEmpty && !_jsonBroken)
        {
            int room = _tail.Limit - _tail.Length;
            if (room == 0)
            {
                // One token longer than the limit even after collapsing strings: not a response we can meter.
                _jsonBroken = true;
                return;
            }
            // The collapser never writes more than it reads, so this slice always fits.
            int take = Math.Min(room, bytes.Length);
            _collapser.Append(bytes[..take], _tail);
            bytes = bytes[take..];
            _tail.Consume(Scan(_tail.Span));
        }
    }

    /// <summary>Reads the complete tokens of <paramref name="window"/> and returns the bytes they took (0 once the body proves not to be JSON).</summary>
    int Scan(ReadOnlySpan<byte> window)
    {
        var reader = new Utf8JsonReader(window, isFinalBlock: false, _jsonState);
        try
        {
            _scanner.Run(ref reader);
        }
        catch (JsonException)
        {
            _jsonBroken = true;
            return 0;
        }
        _jsonState = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }
}
