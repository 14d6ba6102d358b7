using System.Diagnostics;

namespace Cllama.Governance;

/// <summary>
/// A Prometheus histogram over durations, updated lock-free: one Interlocked increment for the bucket and one
/// Interlocked add for the sum (in Stopwatch ticks, so it is exact). Buckets are stored non-cumulative and summed
/// when written, so a scrape during updates still reports <c>+Inf</c> equal to <c>_count</c>.
/// </summary>
internal sealed class Histogram
{
    readonly long[] _boundsTicks;
    readonly long[] _counts;
    long _sumTicks;

    public Histogram(double[] boundsSeconds)
    {
        BoundsSeconds = boundsSeconds;
        _boundsTicks = boundsSeconds.Select(s => (long)Math.Ceiling(s * Stopwatch.Frequency)).ToArray();
        _counts = new long[boundsSeconds.Length + 1];
    }

    /// <summary>Upper bounds in seconds, ascending; the last bucket (+Inf) is implied.</summary>
    public double[] BoundsSeconds { get; }

    public void Observe(long ticks)
    {
        if (ticks < 0)
            ticks = 0;
        int i = 0;
        while (i < _boundsTicks.Length && ticks > _boundsTicks[i])
            i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumTicks, ticks);
    }

    /// <summary>Cumulative counts per bound, then +Inf (which is also the count).</summary>
    public long[] Cumulative()
    {
        var result = new long[_counts.Length];
        long running = 0;
        for (int i = 0; i < _counts.Length; i++)
            result[i] = running += Volatile.Read(ref _counts[i]);
        return result;
    }

    public double SumSeconds => (double)Interlocked.Read(ref _sumTicks) / Stopwatch.Frequency;
}
