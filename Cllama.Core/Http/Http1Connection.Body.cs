using System.Buffers;
using System.IO.Pipelines;

namespace Cllama.Http;

/// <summary>Request bodies: read whole (bounded by <see cref="HttpLimits.MaxBodyBytes"/>) before the handler runs.</summary>
sealed partial class Http1Connection
{
    /// <summary>First allocation for a Content-Length body; it doubles as bytes arrive.</summary>
    const int InitialBodyBuffer = 16 * 1024;

    async ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync()
    {
        if (_head.Framing == BodyFraming.None)
            return ReadOnlyMemory<byte>.Empty;
        if (_head.ExpectContinue)
        {
            // Answered at once, before any body byte arrives; the limits were already checked on the headers.
            _output.Write("HTTP/1.1 100 Continue\r\n\r\n"u8);
            await _output.FlushAsync().ConfigureAwait(false);
        }
        return _head.Framing == BodyFraming.ContentLength
            ? await ReadFixedBodyAsync(_head.ContentLength).ConfigureAwait(false)
            : await ReadChunkedBodyAsync().ConfigureAwait(false);
    }

    async ValueTask<ReadOnlyMemory<byte>> ReadFixedBodyAsync(long length)
    {
        // Grown as bytes arrive, never sized from the claimed length alone: clients that claim the maximum and then
        // stall must not cost that much memory each.
        var body = new byte[(int)Math.Min(length, InitialBodyBuffer)];
        int filled = 0;
        while (filled < length)
        {
            var result = await ReadBodyBytesAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            int take = (int)Math.Min(buffer.Length, length - filled);
            if (filled + take > body.Length)
                Array.Resize(ref body, (int)Math.Min(length, Math.Max(2L * body.Length, filled + take)));
            buffer.Slice(0, take).CopyTo(body.AsSpan(filled));
            filled += take;
            _input.Reader.AdvanceTo(buffer.GetPosition(take));
            if (filled < length && result.IsCompleted)
                HttpRejections.Throw(HttpRejection.UnexpectedEnd);
        }
        return body;
    }

    async ValueTask<ReadOnlyMemory<byte>> ReadChunkedBodyAsync()
    {
        var body = new ArrayBufferWriter<byte>(4096);
        var parser = new ChunkedBodyParser();
        while (true)
        {
            var result = await ReadBodyBytesAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var reader = new SequenceReader<byte>(buffer);
            bool done = false;
            try
            {
                done = parser.TryParse(ref reader, body, _limits);
            }
            finally
            {
                // Once done, what follows is the next pipelined request: it must stay unexamined or the next read waits for more.
                _input.Reader.AdvanceTo(reader.Position, done ? reader.Position : buffer.End);
            }
            if (done)
                return body.WrittenMemory;
            if (result.IsCompleted)
                HttpRejections.Throw(HttpRejection.UnexpectedEnd);
        }
    }

    /// <summary>A body read: each wait for more bytes gets the header timeout, so a stalled upload cannot hold a connection forever.</summary>
    async ValueTask<ReadResult> ReadBodyBytesAsync()
    {
        if (!_timeout.TryReset())
            throw new OperationCanceledException();
        _timeout.CancelAfter(_limits.HeaderTimeout);
        var result = await _input.Reader.ReadAsync(_timeout.Token).ConfigureAwait(false);
        _timeout.CancelAfter(Timeout.InfiniteTimeSpan);
        return result;
    }
}
