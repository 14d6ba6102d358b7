using System.Diagnostics;
using System.Runtime.CompilerServices;
using Cllama.Ledger;

namespace Cllama.Bench.Ledger;

/// <summary>
/// Start-up with a million recorded requests: builds ledgers through the public API (durable appends from many
/// writers, timestamps spread over the last 30 days), then times <see cref="CostLedger.Open"/> on fresh copies.
/// </summary>
static class StartupBench
{
    public sealed record Image(string Name, string Description, string StateDir, long Records, long SnapshotBytes, long SegmentBytes);

    /// <summary>Records <paramref name="records"/> entries; returns a copy of the files as a crash (kill -9) would leave them, or after a clean close.</summary>
    public static async Task<Image> BuildAsync(string root, string name, string description, long records, int compactEvery, bool cleanClose)
    {
        string live = Path.Combine(root, name + "-live"), image = Path.Combine(root, name);
        var now = DateTimeOffset.UtcNow;
        var span = TimeSpan.FromDays(30);
        var ledger = CostLedger.Open(live, compactEvery: compactEvery);
        const int Writers = 256;
        long next = -1;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            long i;
            while ((i = Interlocked.Increment(ref next)) < records)
                await ledger.RecordAsync(Workload.Record(now - span + span * ((double)i / records), w, i));
        })));
        if (cleanClose)
        {
            ledger.Dispose();
            CopyLedger(live, image);
        }
        else
        {
            CopyLedger(live, image); // every RecordAsync above has returned, so all of it is on disk now
            ledger.Dispose();
        }
        Directory.Delete(live, recursive: true);
        string dir = Path.Combine(image, "ledger");
        long snapshot = File.Exists(Path.Combine(dir, "snapshot.bin")) ? new FileInfo(Path.Combine(dir, "snapshot.bin")).Length : 0;
        long segments = Directory.GetFiles(dir, "segment-*.log").Sum(f => new FileInfo(f).Length);
        return new Image(name, description, image, records, snapshot, segments);
    }

    /// <summary>Median wall time of <see cref="CostLedger.Open"/> over <paramref name="runs"/> fresh copies, and the managed heap it holds.</summary>
    public static (double MedianMs, long HeapBytes, long Requests) TimeOpen(Image image, string scratch, int runs)
    {
        var times = new List<double>();
        long heap = 0, requests = 0;
        for (int run = 0; run < runs; run++)
        {
            string copy = Path.Combine(scratch, $"open-{run}");
            CopyLedger(image.StateDir, copy);
            double ms;
            (ms, heap, requests) = OpenOnce(copy);
            times.Add(ms);
            Directory.Delete(copy, recursive: true);
        }
        times.Sort();
        return (times[times.Count / 2], heap, requests);
    }

    /// <summary>Not inlined, so no stack slot of the caller keeps the previous run's ledger alive while the heap is measured.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    static (double Ms, long HeapBytes, long Requests) OpenOnce(string stateDir)
    {
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var ledger = CostLedger.Open(stateDir);
        double ms = clock.Elapsed.TotalMilliseconds;
        long heap = GC.GetTotalMemory(forceFullCollection: true) - before;
        long requests = ledger.Snapshot().TotalRequests;
        ledger.Dispose();
        return (ms, heap, requests);
    }

    /// <summary>Copies a state directory's ledger files; a snapshot finishing in the background may delete a segment mid-copy, so retry.</summary>
    public static void CopyLedger(string fromStateDir, string toStateDir)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                string target = Directory.CreateDirectory(Path.Combine(toStateDir, "ledger")).FullName;
                foreach (var f in Directory.GetFiles(target))
                    File.Delete(f);
                foreach (var f in Directory.GetFiles(Path.Combine(fromStateDir, "ledger")))
                {
                    if (!f.EndsWith(".lock", StringComparison.Ordinal))
                        File.Copy(f, Path.Combine(target, Path.GetFileName(f)));
                }
                return;
            }
            catch (FileNotFoundException) when (attempt < 10)
            {
            }
        }
    }
}
