using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cllama.Ledger;

/// <summary>
/// Totals per agent and (provider, model), all-time and per budget window, fed one entry per forwarded request.
/// <see cref="Open"/> makes it durable in <c>CLAW_STATE_DIR/ledger</c> (CONTRACT §10: it survives restart and
/// <c>kill -9</c>; at most requests still in flight are lost): <see cref="RecordAsync"/> completes only once the
/// entry is fsynced, and the proxy sends the end of a response only after that. Reads take one lock: a window sum
/// is about a hundred additions per model.
/// </summary>
public sealed class CostLedger : IDisposable
{
    /// <summary>Entries between snapshots: bounds the log replayed at start-up (~100k frames, well under a second).</summary>
    public const int DefaultCompactEvery = 100_000;

    readonly object _lock = new();
    readonly List<LedgerEntry> _pending = []; // reused under _lock
    readonly LedgerState _state;
    readonly LedgerWriter? _writer;
    readonly TimeProvider _clock;

    /// <summary>An in-memory ledger that persists nothing (tests and tools).</summary>
    public CostLedger(TimeProvider? clock = null)
    {
        _state = new LedgerState();
        _clock = clock ?? TimeProvider.System;
    }

    CostLedger(LedgerState state, LedgerStore store, int compactEvery, TimeProvider clock, ILogger logger)
    {
        _state = state;
        _clock = clock;
        _writer = new LedgerWriter(store, state, _lock, compactEvery, clock, logger);
    }

    /// <summary>
    /// Opens (creating if needed) the ledger under <paramref name="stateDir"/>, rebuilding the totals from the last
    /// snapshot and the log after it. A torn last write is cut off; anything else unreadable is a
    /// <see cref="LedgerCorruptException"/> naming the file.
    /// </summary>
    public static CostLedger Open(string stateDir, TimeProvider? clock = null, ILogger? logger = null, int compactEvery = DefaultCompactEvery)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(compactEvery, 1);
        clock ??= TimeProvider.System;
        var (store, state) = LedgerStore.Open(Path.Combine(stateDir, "ledger"), logger ?? NullLogger.Instance);
        state.PruneBefore(clock.GetUtcNow().ToUnixTimeMilliseconds() - 31 * SpendSeries.DayMs);
        return new CostLedger(state, store, compactEvery, clock, logger ?? NullLogger.Instance);
    }

    /// <summary>Group commits so far (each one write and one fsync); 0 in memory.</summary>
    public long Commits => _writer?.Commits ?? 0;

    /// <summary>
    /// Records a finished (or cut-short) request: it counts in every query from now on, and the returned task
    /// completes once it is durable. Requests that never reached a provider are not metered and complete at once.
    /// Faults with <see cref="LedgerWriteException"/> when the disk refuses the write (the request still counts in
    /// memory, and in the next snapshot). The caller resumes on the ledger's writer thread and must not block there.
    /// </summary>
    public ValueTask RecordAsync(RequestRecord r)
    {
        if (LedgerEntry.From(r) is not LedgerEntry entry)
            return ValueTask.CompletedTask;
        if (_writer is not null)
            return new ValueTask(_writer.Enqueue(entry));
        lock (_lock)
            _state.Apply(entry);
        return ValueTask.CompletedTask;
    }

    /// <summary>What <paramref name="agentId"/> spent in <paramref name="window"/> as of <paramref name="now"/> (rolling windows in whole minutes, see <see cref="SpendSeries"/>).</summary>
    public decimal SpentUsd(string agentId, BudgetWindow window, DateTimeOffset now)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        // Asked before every governed request: the pending entries are summed where they lie, not copied out.
        lock (_lock)
            return _state.SpentUsd(agentId, window, nowMs) + (_writer?.PendingSpend(agentId, window, nowMs) ?? 0);
    }

    /// <summary>When the agent's spend in <paramref name="window"/> next goes down; null for total or when there is no spend in it.</summary>
    public DateTimeOffset? ResetsAt(string agentId, BudgetWindow window, DateTimeOffset now)
    {
        long? ms;
        lock (_lock)
            ms = _state.ResetsAtMs(agentId, window, now.ToUnixTimeMilliseconds(), Pending());
        return ms is long v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
    }

    public CostSnapshot Snapshot() => Snapshot(null, _clock.GetUtcNow());

    /// <summary>Totals per agent and model in <paramref name="window"/> (null: all time); agents with no request in it are left out.</summary>
    public CostSnapshot Snapshot(BudgetWindow? window, DateTimeOffset now)
    {
        lock (_lock)
            return _state.Snapshot(window ?? BudgetWindow.Total, now.ToUnixTimeMilliseconds(), Pending());
    }

    /// <summary>Entries recorded but not yet in the totals (waiting for their fsync); call under <c>_lock</c>.</summary>
    List<LedgerEntry> Pending()
    {
        _pending.Clear();
        _writer?.CopyPending(_pending);
        return _pending;
    }

    /// <summary>Writes everything queued, snapshots the totals and closes the files.</summary>
    public void Dispose() => _writer?.Dispose();
}

public sealed record CostSnapshot(decimal TotalCostUsd, long TotalRequests, long UnpricedRequests, IReadOnlyDictionary<string, AgentCost> Agents);

public sealed record AgentCost(decimal TotalCostUsd, long TotalRequests, long UnpricedRequests, IReadOnlyList<ModelCost> Models);

public sealed record ModelCost(string Provider, string Model, long InputTokens, long OutputTokens, long CachedTokens,
    decimal CostUsd, long Requests, long UnpricedRequests);
