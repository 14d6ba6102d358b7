namespace Cllama.Tests.Binary;

/// <summary>Lines from one of a child's output streams, collected thread-safely, with a bounded wait for a match.</summary>
public sealed class OutputLines
{
    readonly List<string> _lines = [];
    TaskCompletionSource _changed = NewSignal();
    bool _closed;

    static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Snapshot() { lock (_lines) return _lines.ToList(); }

    public override string ToString() => string.Join('\n', Snapshot());

    /// <summary>Process.OutputDataReceived hands over one line per call and null at end of stream.</summary>
    public void OnLine(string? line)
    {
        TaskCompletionSource signal;
        lock (_lines)
        {
            if (line is null)
                _closed = true;
            else
                _lines.Add(line);
            signal = _changed;
            _changed = NewSignal();
        }
        signal.TrySetResult();
    }

    /// <summary>The first line (from the start) matching <paramref name="match"/>, waiting up to <paramref name="timeout"/>.</summary>
    public Task<string> WaitForAsync(Func<string, bool> match, string what, TimeSpan timeout) =>
        WaitAsync(lines => lines.FirstOrDefault(match), what, timeout);

    /// <summary>Line number <paramref name="index"/> (from 0), waiting up to <paramref name="timeout"/> for it to arrive.</summary>
    public Task<string> LineAsync(int index, TimeSpan timeout) =>
        WaitAsync(lines => lines.Count > index ? lines[index] : null, $"line {index + 1}", timeout);

    async Task<string> WaitAsync(Func<List<string>, string?> probe, string what, TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            Task changed;
            lock (_lines)
            {
                if (probe(_lines) is { } hit)
                    return hit;
                if (_closed)
                    throw new InvalidOperationException($"stream closed before {what}; it had:\n{string.Join('\n', _lines)}");
                changed = _changed.Task;
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0 || await Task.WhenAny(changed, Task.Delay((int)left)) != changed)
                throw new TimeoutException($"no line for {what} within {timeout.TotalSeconds} s; got:\n{ToString()}");
        }
    }
}
