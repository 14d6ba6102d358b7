using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Cllama.Tests.Support;

/// <summary>A stdout stand-in for the request log: collects whole lines and lets a test wait for one.</summary>
public sealed class LogCapture : Stream
{
    readonly BlockingCollection<string> _lines = new();
    readonly StringBuilder _partial = new();
    readonly List<string> _all = [];

    public IReadOnlyList<string> Lines { get { lock (_all) return _all.ToList(); } }

    /// <summary>The next request-log line as JSON, waiting up to <paramref name="timeout"/> (default 10 s).</summary>
    public JsonElement Next(TimeSpan? timeout = null)
    {
        if (!_lines.TryTake(out var line, timeout ?? TimeSpan.FromSeconds(10)))
            throw new TimeoutException("no request log line arrived");
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_partial)
        {
            _partial.Append(Encoding.UTF8.GetString(buffer, offset, count));
            string text = _partial.ToString();
            int nl;
            while ((nl = text.IndexOf('\n')) >= 0)
            {
                string line = text[..nl];
                text = text[(nl + 1)..];
                lock (_all) _all.Add(line);
                _lines.Add(line);
            }
            _partial.Clear().Append(text);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.ToArray(), 0, buffer.Length);
        return ValueTask.CompletedTask;
    }

    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
