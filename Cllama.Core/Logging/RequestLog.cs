using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Cllama.Costs;
using Cllama.Ledger;

namespace Cllama.Logging;

/// <summary>
/// The request log on stdout: one JSON object per line. Lines are queued and written by one background task so a
/// slow or blocked stdout never holds up a request; if the queue fills, lines are dropped and counted.
/// </summary>
public sealed class RequestLog : IAsyncDisposable
{
    const int Capacity = 65536;
    readonly Channel<RequestRecord> _queue = Channel.CreateBounded<RequestRecord>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
    readonly Stream _output;
    readonly Task _writer;
    long _dropped;

    public RequestLog(Stream output)
    {
        _output = output;
        _writer = Task.Run(WriteLoopAsync);
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Write(RequestRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
            Interlocked.Increment(ref _dropped);
    }

    async Task WriteLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var json = new Utf8JsonWriter(buffer);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                json.Reset(buffer);
                Format(json, record);
                json.Flush();
                buffer.Write("\n"u8);
            }
            try
            {
                await _output.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
                await _output.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // stdout closed (e.g. a pipe whose reader left): the log is lost, serving goes on.
            }
            buffer.ResetWrittenCount();
        }
    }

    public static void Format(Utf8JsonWriter w, RequestRecord r)
    {
        w.WriteStartObject();
        w.WriteString("ts", r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("request_id", r.RequestId);
        WriteNullable(w, "claw_id", r.AgentId);
        w.WriteString("type", r.Type);
        WriteNullable(w, "model", r.Model);
        WriteNullable(w, "provider", r.Provider);
        WriteNullable(w, "upstream_model", r.UpstreamModel);
        w.WriteBoolean("stream", r.Stream);
        w.WriteNumber("latency_ms", r.LatencyMs);
        if (r.TtfbMs is long ttfb) w.WriteNumber("ttfb_ms", ttfb); else w.WriteNull("ttfb_ms");
        w.WriteNumber("status_code", r.StatusCode);
        w.WriteNumber("tokens_in", r.TokensIn);
        w.WriteNumber("tokens_out", r.TokensOut);
        w.WriteNumber("cached_tokens", r.CachedTokens);
        if (r.CostUsd is decimal cost) w.WriteNumber("cost_usd", Money.Normalize(cost)); else w.WriteNull("cost_usd");
        w.WriteString("cost_source", CostSourceName(r.CostSource));
        WriteNullable(w, "intervention", r.Intervention);
        if (r.Partial)
            w.WriteBoolean("partial", true);
        if (r.Error is not null)
            w.WriteString("error", r.Error);
        w.WriteEndObject();
    }

    public static string CostSourceName(CostSource source) => source switch
    {
        CostSource.Reported => "reported",
        CostSource.Computed => "computed",
        CostSource.Estimated => "estimated",
        _ => "unknown",
    };

    static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
