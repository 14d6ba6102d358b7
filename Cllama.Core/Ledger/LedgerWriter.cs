using Microsoft.Extensions.Logging;

namespace Cllama.Ledger;

/// <summary>
/// Group commit. Callers queue an entry and wait; one thread takes everything queued, writes it as one append with
/// one fsync, applies it to the totals, then releases every waiter of the batch. Whatever arrives during an fsync
/// forms the next batch, so throughput grows with concurrency while each caller still resumes only once its entry
/// is on disk. Every <c>compactEvery</c> entries it rotates the segment and snapshots the totals. Entries join the
/// totals only once written, so a snapshot is exactly the log before it; until then readers see them through
/// <see cref="CopyPending"/>.
/// Waiters resume on this thread, one after another, as soon as their batch is on disk: each has only the end of its
/// response left to send, and meanwhile the next batch gathers. Resuming them through the thread pool cost a queued
/// work item and ~200 µs of queueing per request under load, and a thread of their own cost a wake per batch and
/// smaller batches; this way the proxy serves ~10% more requests per second. So a waiter must not block after the
/// await: it holds up every commit behind it.
/// </summary>
sealed partial class LedgerWriter : IDisposable
{
    readonly record struct Pending(LedgerEntry Entry, TaskCompletionSource Done);

    readonly LedgerStore _store;
    readonly LedgerState _state;
    readonly object _stateLock;
    readonly int _compactEvery;
    readonly TimeProvider _clock;
    readonly ILogger _logger;
    readonly object _gate = new();
    readonly Thread _thread;
    readonly ByteWriter _frames = new(64 * 1024);
    List<Pending> _incoming = [];
    List<Pending>? _writing;
    bool _stopping;
    bool _finished;
    long _sinceSnapshot;
    long _commits;

    public LedgerWriter(LedgerStore store, LedgerState state, object stateLock, int compactEvery, TimeProvider clock, ILogger logger)
    {
        _store = store;
        _state = state;
        _stateLock = stateLock;
        _compactEvery = compactEvery;
        _clock = clock;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "cllama-ledger" };
        _thread.Start();
    }

    /// <summary>Appends (one write + one fsync each) so far: entries ÷ commits is the group-commit batch size.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Completes once <paramref name="entry"/> is on disk and in the totals; faults with <see cref="LedgerWriteException"/> if the disk refused it.</summary>
    public Task Enqueue(in LedgerEntry entry)
    {
        var done = new TaskCompletionSource();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            _incoming.Add(new Pending(entry, done));
            if (_incoming.Count == 1)
                Monitor.Pulse(_gate);
        }
        return done.Task;
    }

    /// <summary>
    /// Adds the entries queued or being written, not yet in the totals. The caller holds the state lock, so none of
    /// them can move into the totals while it reads.
    /// </summary>
    public void CopyPending(List<LedgerEntry> into)
    {
        lock (_gate)
        {
            if (_writing is not null)
            {
                foreach (var p in _writing)
                    into.Add(p.Entry);
            }
            foreach (var p in _incoming)
                into.Add(p.Entry);
        }
    }

    /// <summary>
    /// What the entries queued or being written add to <paramref name="agentId"/>'s spend. Like <see cref="CopyPending"/>,
    /// the caller holds the state lock, so none of them can move into the totals while it reads.
    /// </summary>
    public decimal PendingSpend(string agentId, BudgetWindow window, long nowMs)
    {
        decimal spent = 0;
        lock (_gate)
        {
            if (_writing is not null)
            {
                foreach (var p in _writing)
                    spent += p.Entry.SpendFor(agentId, window, nowMs);
            }
            foreach (var p in _incoming)
                spent += p.Entry.SpendFor(agentId, window, nowMs);
        }
        return spent;
    }

    void Run()
    {
        while (TakeBatch() is { } batch)
        {
            Commit(batch);
            if (_finished)
                return; // a waiter stopped the ledger, and this thread did the rest for it
            if (_sinceSnapshot >= _compactEvery)
                Compact(final: false);
        }
        Finish();
    }

    /// <summary>The next batch, waiting for one; null once stopping with nothing queued.</summary>
    List<Pending>? TakeBatch()
    {
        lock (_gate)
        {
            while (_incoming.Count == 0 && !_stopping)
                Monitor.Wait(_gate);
            if (_incoming.Count == 0)
                return null;
            var batch = _incoming;
            // A fresh list, not a recycled one: a waiter resumed from this batch may stop the ledger and so write
            // the next batches before this one is fully released.
            _incoming = new List<Pending>(batch.Count);
            _writing = batch;
            return batch;
        }
    }

    /// <summary>Writes whatever is still queued, takes the final snapshot and closes the files.</summary>
    void Finish()
    {
        if (_finished)
            return;
        while (TakeBatch() is { } batch)
            Commit(batch);
        Compact(final: true);
        _store.Dispose();
        _finished = true;
    }

    void Commit(List<Pending> batch)
    {
        _frames.Clear();
        foreach (var p in batch)
            EntryCodec.WriteFrame(_frames, p.Entry);
        Exception? failure = null;
        try
        {
            _store.Append(_frames.Written);
        }
        catch (IOException e)
        {
            failure = new LedgerWriteException($"the cost ledger in {_store.Directory} could not write {batch.Count} entries: {e.Message}", e);
            LogWriteFailed(_logger, _store.Directory, batch.Count, e.Message);
        }
        // The requests happened and were paid for: they count in memory (and in the next snapshot) even when the
        // append failed; only their callers learn that they were not made durable.
        lock (_stateLock)
        {
            foreach (var p in batch)
                _state.Apply(p.Entry);
            lock (_gate)
                _writing = null; // in the totals now: no reader may count them twice
        }
        _sinceSnapshot += batch.Count;
        Interlocked.Increment(ref _commits);
        // Last: a waiter may run on, here, as far as stopping the ledger (see Dispose).
        foreach (var p in batch)
        {
            if (failure is null)
                p.Done.TrySetResult();
            else
                p.Done.TrySetException(failure);
        }
    }

    void Compact(bool final)
    {
        _sinceSnapshot = 0;
        long next;
        try
        {
            next = _store.Rotate();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, _store.Directory, 0, e.Message); // keep appending to the current segment
            return;
        }
        lock (_stateLock)
            _state.PruneBefore(_clock.GetUtcNow().ToUnixTimeMilliseconds() - 31 * SpendSeries.DayMs);
        // No lock while serialising: this thread is the only one that changes the state, and readers only read.
        var image = SnapshotFile.Serialize(_state, next);
        if (final)
            _store.WriteSnapshotNow(image, next);
        else
            _store.BeginSnapshot(image, next);
    }

    /// <summary>
    /// Writes what is queued, takes a final snapshot and stops; later <see cref="Enqueue"/> calls throw. Called by a
    /// waiter the writer thread is resuming (a shutdown right after the last request, a test that closes the ledger
    /// after an await), it cannot wait for that thread, which is itself: it does the same work in place.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
                return;
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        if (Thread.CurrentThread == _thread)
            Finish();
        else
            _thread.Join();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cost ledger write in {Directory} failed ({Count} entries): {Problem}")]
    static partial void LogWriteFailed(ILogger logger, string directory, int count, string problem);
}
