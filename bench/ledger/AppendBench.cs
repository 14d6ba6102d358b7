using System.Diagnostics;
using Cllama.Ledger;

namespace Cllama.Bench.Ledger;

/// <summary>Durable append throughput: N writers each awaiting RecordAsync in a loop, fsync on, for a fixed time.</summary>
static class AppendBench
{
    public sealed record Result(int Writers, long Records, double Seconds, long Commits, double P50Ms, double P99Ms)
    {
        public double PerSecond => Records / Seconds;
        public double BatchSize => (double)Records / Commits;
    }

    public static async Task<Result> RunAsync(string stateDir, int writers, TimeSpan duration)
    {
        using var ledger = CostLedger.Open(stateDir);
        var latencies = new List<double>[writers];
        var stop = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(1 << 16);
            long n = 0;
            while (stop.Elapsed < duration)
            {
                long started = Stopwatch.GetTimestamp();
                await ledger.RecordAsync(Workload.Record(DateTimeOffset.UtcNow, w, n++));
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        double seconds = stop.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(writers, all.Length, seconds, ledger.Commits, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
    }
}
