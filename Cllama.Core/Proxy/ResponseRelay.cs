using System.Buffers;
using Cllama.Http;
using Cllama.Usage;

namespace Cllama.Proxy;

/// <summary>How a relay ended; the orchestrator maps it to a log line and a ledger record.</summary>
public enum RelayResult { Success, UpstreamError, UpstreamIdle, ClientGone }

/// <summary>
/// Copies an upstream body to the client as it arrives: after each read, write, flush, then feed the usage tap.
/// Backpressure comes from the flush: a slow client slows the upstream read, nothing grows without bound.
/// </summary>
static class ResponseRelay
{
    const int BufferSize = 16 * 1024;

    /// <param name="expectedLength">The upstream Content-Length when the body is relayed undecoded: once that many
    /// bytes are in, the body is whole, so the last write is left for the completion flush (one send, not two).</param>
    /// <param name="idle">Linked to <paramref name="clientGone"/>; re-armed with <paramref name="idleTimeout"/> before every read.</param>
    public static async Task<RelayResult> RunAsync(Stream upstream, HttpResponse client, UsageTap tap,
        SseUsageChunkFilter? filter, long? expectedLength, TimeSpan idleTimeout, CancellationTokenSource idle,
        CancellationToken clientGone)
    {
        long relayed = 0;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var filtered = filter is null ? null : new ArrayBufferWriter<byte>(BufferSize);
        try
        {
            while (true)
            {
                // Idle, not total: a stream may run for minutes as long as it keeps talking.
                idle.CancelAfter(idleTimeout);
                int n;
                try
                {
                    n = await upstream.ReadAsync(buffer.AsMemory(0, BufferSize), idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return clientGone.IsCancellationRequested ? RelayResult.ClientGone : RelayResult.UpstreamIdle;
                }
                catch (Exception e) when (e is IOException or HttpRequestException or System.IO.InvalidDataException)
                {
                    return clientGone.IsCancellationRequested ? RelayResult.ClientGone : RelayResult.UpstreamError;
                }

                if (n == 0)
                {
                    if (filter is not null && filtered is not null)
                    {
                        filtered.ResetWrittenCount();
                        filter.Flush(filtered);
                        if (!await WriteAsync(client, filtered.WrittenMemory, clientGone).ConfigureAwait(false))
                            return RelayResult.ClientGone;
                    }
                    return RelayResult.Success;
                }

                var chunk = buffer.AsMemory(0, n);
                relayed += n;
                if (filter is null && relayed == expectedLength)
                {
                    client.WriteBody(chunk.Span);
                    tap.Feed(chunk.Span);
                    return RelayResult.Success;
                }
                ReadOnlyMemory<byte> toClient = chunk;
                if (filter is not null && filtered is not null)
                {
                    filtered.ResetWrittenCount();
                    filter.Process(chunk.Span, filtered);
                    toClient = filtered.WrittenMemory;
                }
                if (!await WriteAsync(client, toClient, clientGone).ConfigureAwait(false))
                {
                    tap.Feed(chunk.Span);
                    return RelayResult.ClientGone;
                }
                tap.Feed(chunk.Span);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static async ValueTask<bool> WriteAsync(HttpResponse client, ReadOnlyMemory<byte> data, CancellationToken clientGone)
    {
        if (data.IsEmpty)
            return true;
        try
        {
            await client.WriteAndFlushAsync(data, clientGone).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            return false;
        }
    }
}
