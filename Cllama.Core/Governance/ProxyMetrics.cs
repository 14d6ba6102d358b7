using System.Collections.Concurrent;
using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>
/// Counters and histograms for <c>GET /metrics</c>, labelled by agent, provider and (upstream) model. The hot path
/// is one dictionary lookup and a few Interlocked operations per request; only the decimal cost takes a lock, on
/// its own series. Models are named by callers, so series are capped: past <see cref="MaxSeries"/> new
/// provider/model pairs fold into <c>_other</c> per agent rather than growing memory without bound.
/// </summary>
public sealed class ProxyMetrics
{
    public const int MaxSeries = 10_000;
    public const string Other = "_other";

    internal static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
    internal static readonly double[] OverheadBuckets = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

    readonly ConcurrentDictionary<SeriesKey, Series> _series = new();
    long _inFlight;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    /// <param name="durationTicks">The whole request, Stopwatch ticks.</param>
    /// <param name="upstreamWaitTicks">From sending upstream to its response headers; null when none came.</param>
    /// <param name="overheadTicks">Our own time before the response headers went out; null when not forwarded.</param>
    public void Record(RequestRecord r, long durationTicks, long? upstreamWaitTicks, long? overheadTicks)
    {
        var s = SeriesFor(new SeriesKey(r.AgentId ?? "", r.Provider ?? "", r.UpstreamModel ?? ""));
        s.Statuses.GetOrAdd(r.StatusCode, static _ => new Counter()).Increment();
        s.Duration.Observe(durationTicks);
        if (upstreamWaitTicks is long wait)
            s.Ttfb.Observe(wait);
        if (overheadTicks is long overhead)
            s.Overhead.Observe(overhead);
        if (!r.Forwarded)
            return;
        Interlocked.Increment(ref s.Forwarded);
        Interlocked.Add(ref s.InputTokens, r.TokensIn);
        Interlocked.Add(ref s.OutputTokens, r.TokensOut);
        Interlocked.Add(ref s.CachedTokens, r.CachedTokens);
        if (r.CostUsd is decimal cost)
        {
            lock (s)
                s.CostUsd += cost;
        }
    }

    Series SeriesFor(SeriesKey key)
    {
        if (_series.TryGetValue(key, out var s))
            return s;
        if (_series.Count >= MaxSeries)
            key = key with { Provider = Other, Model = Other };
        return _series.GetOrAdd(key, static _ => new Series());
    }

    /// <summary>A consistent-enough copy for one scrape, sorted by labels so output is stable.</summary>
    internal IReadOnlyList<KeyValuePair<SeriesKey, Series>> Snapshot() =>
        _series.OrderBy(kv => kv.Key.Agent, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Provider, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Model, StringComparer.Ordinal)
            .ToList();

    internal readonly record struct SeriesKey(string Agent, string Provider, string Model);

    internal sealed class Series
    {
        public readonly ConcurrentDictionary<int, Counter> Statuses = new();
        public readonly Histogram Duration = new(LatencyBuckets);
        public readonly Histogram Ttfb = new(LatencyBuckets);
        public readonly Histogram Overhead = new(OverheadBuckets);
        public long Forwarded, InputTokens, OutputTokens, CachedTokens;
        public decimal CostUsd;

        public decimal Cost()
        {
            lock (this)
                return CostUsd;
        }
    }

    internal sealed class Counter
    {
        long _value;
        public long Value => Interlocked.Read(ref _value);
        public void Increment() => Interlocked.Increment(ref _value);
    }
}
