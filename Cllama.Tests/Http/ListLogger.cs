using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cllama.Tests.Http;

/// <summary>Keeps what the server logs at warning level and above, so tests can assert nothing went wrong inside.</summary>
public sealed class ListLogger : ILogger
{
    readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyCollection<string> Entries => _entries;

    /// <summary>Entries logged at error level or above (an unhandled exception inside the server).</summary>
    public IEnumerable<string> Errors => _entries.Where(e => e.StartsWith("Error", StringComparison.Ordinal) || e.StartsWith("Critical", StringComparison.Ordinal));

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Warning)
            _entries.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
    }

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
}
