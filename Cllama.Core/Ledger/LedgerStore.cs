using Microsoft.Extensions.Logging;

namespace Cllama.Ledger;

/// <summary>
/// The ledger directory (<c>CLAW_STATE_DIR/ledger</c>): one snapshot and the segments written since it.
/// Start-up loads the snapshot, deletes segments it already covers, replays the rest in order, cuts a torn tail off
/// the last one and keeps appending there. Compaction starts a new segment, writes a snapshot that names it, then
/// deletes the older segments: a crash at any step leaves an old snapshot plus segments that still add up exactly.
/// </summary>
sealed partial class LedgerStore : IDisposable
{
    readonly string _directory;
    readonly FileStream _lock;
    readonly ILogger _logger;
    SegmentFile _segment;
    Task _snapshotWrite = Task.CompletedTask;

    LedgerStore(string directory, FileStream lockFile, SegmentFile segment, ILogger logger)
    {
        _directory = directory;
        _lock = lockFile;
        _segment = segment;
        _logger = logger;
    }

    public static (LedgerStore Store, LedgerState State) Open(string directory, ILogger logger)
    {
        System.IO.Directory.CreateDirectory(directory);
        var lockFile = Lock(directory);
        try
        {
            var (state, segment) = Recover(directory);
            return (new LedgerStore(directory, lockFile, segment, logger), state);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Two processes appending to one ledger would interleave frames; FileShare.None is an exclusive flock on Unix,
    /// which the kernel drops when the holder dies, so a kill -9 never leaves it stale.
    /// </summary>
    static FileStream Lock(string directory)
    {
        string path = Path.Combine(directory, "ledger.lock");
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"{path} is locked: another cllama-passthrough is using this ledger", e);
        }
    }

    static (LedgerState State, SegmentFile Segment) Recover(string directory)
    {
        string snapshot = Path.Combine(directory, SnapshotFile.FileName);
        File.Delete(snapshot + ".tmp"); // a snapshot write the crash interrupted; the old snapshot still stands
        var (state, next) = File.Exists(snapshot) ? SnapshotFile.Read(snapshot) : (new LedgerState(), 1L);

        var live = new List<long>();
        foreach (long sequence in SegmentFile.List(directory))
        {
            if (sequence < next)
                SegmentFile.Delete(directory, sequence); // already in the snapshot; the crash came before the clean-up
            else
                live.Add(sequence);
        }
        for (int i = 0; i < live.Count; i++)
        {
            if (live[i] != next + i)
                throw new LedgerCorruptException(SegmentFile.PathOf(directory, next + i), "segment missing: the entries in it would be lost");
        }

        var names = new StringPool();
        long intact = 0;
        for (int i = 0; i < live.Count; i++)
            intact = SegmentFile.Replay(SegmentFile.PathOf(directory, live[i]), live[i], isLast: i == live.Count - 1, state, names);
        var segment = live.Count == 0 ? SegmentFile.Create(directory, next) : SegmentFile.OpenForAppend(directory, live[^1], intact);
        return (state, segment);
    }

    public string Directory => _directory;

    public void Append(ReadOnlySpan<byte> frames) => _segment.Append(frames);

    /// <summary>Closes the current segment and starts the next; returns its sequence number.</summary>
    public long Rotate()
    {
        var next = SegmentFile.Create(_directory, _segment.Sequence + 1);
        _segment.Dispose();
        _segment = next;
        return next.Sequence;
    }

    /// <summary>
    /// Writes <paramref name="image"/> (covering every segment before <paramref name="nextSegment"/>) off the writer
    /// thread, then deletes those segments. Snapshot writes run one after another, never overlapping.
    /// </summary>
    public void BeginSnapshot(ReadOnlyMemory<byte> image, long nextSegment)
    {
        var previous = _snapshotWrite;
        _snapshotWrite = Task.Run(async () =>
        {
            await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            WriteSnapshot(image, nextSegment);
        });
    }

    /// <summary>Waits for any snapshot in progress, then writes this one before returning (shutdown).</summary>
    public void WriteSnapshotNow(ReadOnlyMemory<byte> image, long nextSegment)
    {
        WaitForSnapshot();
        WriteSnapshot(image, nextSegment);
    }

    void WriteSnapshot(ReadOnlyMemory<byte> image, long nextSegment)
    {
        try
        {
            SnapshotFile.WriteAtomic(_directory, image);
            foreach (long sequence in SegmentFile.List(_directory))
            {
                if (sequence < nextSegment)
                    SegmentFile.Delete(_directory, sequence);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing is lost: the previous snapshot and every segment after it are still there.
            LogSnapshotFailed(_logger, _directory, e.Message);
        }
    }

    void WaitForSnapshot()
    {
        try { _snapshotWrite.Wait(); } catch (AggregateException) { }
    }

    public void Dispose()
    {
        WaitForSnapshot();
        _segment.Dispose();
        _lock.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger snapshot in {Directory} failed ({Problem}); start-up will replay more of the log")]
    static partial void LogSnapshotFailed(ILogger logger, string directory, string problem);
}
