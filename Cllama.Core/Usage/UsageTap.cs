using System.Text.Json;

namespace Cllama.Usage;

/// <summary>
/// Reads token usage from a response as its bytes pass to the client, however they are split. Push-based and
/// bounded: SSE data is parsed one event at a time, a JSON body incrementally, and neither is ever held whole.
/// Not thread-safe: one relay loop feeds it.
/// </summary>
public sealed partial class UsageTap
{
    /// <summary>
    /// Largest SSE event payload (after long strings are collapsed) and largest JSON token run kept between feeds.
    /// Usage objects are a few hundred bytes; anything past this is skipped, never buffered.
    /// </summary>
    internal const int MaxBufferedBytes = 1024 * 1024;

    readonly UsageDialect _dialect;
    readonly bool _isEventStream;
    UsageScanner _scanner;
    JsonStringCollapser _collapser;
    bool _completed;

    public UsageTap(UsageDialect dialect, bool isEventStream)
    {
        _dialect = dialect;
        _isEventStream = isEventStream;
        _scanner = new UsageScanner(dialect, isEventStream);
    }

    /// <summary>What has been seen so far; final once <see cref="Complete"/> was called.</summary>
    public UsageReport Report => _scanner.Total.ToReport(_dialect, _scanner.Seen);

    /// <summary>Bytes held between feeds: the bound the tests check.</summary>
    internal int BufferedBytes => _event.Length + _tail.Length;

    /// <summary>Feeds the next bytes exactly as they go to the client.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (_completed || bytes.IsEmpty)
            return;
        if (_isEventStream)
            FeedEvents(bytes);
        else
            FeedJson(bytes);
    }

    /// <summary>
    /// Marks the end of the response and returns the pooled buffers. An SSE event the stream ended without a
    /// blank line for is still read: a provider closing right after its usage chunk has still reported it.
    /// </summary>
    public void Complete()
    {
        if (_completed)
            return;
        if (_isEventStream)
            CompleteEvents();
        _completed = true;
        _event.Release();
        _tail.Release();
    }

    /// <summary>Scans one complete JSON document; malformed payloads (an HTML error page, a truncated line) count nothing.</summary>
    void ScanDocument(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: true, state: default);
        _scanner.StartDocument();
        try
        {
            _scanner.Run(ref reader);
        }
        catch (JsonException)
        {
        }
    }
}
