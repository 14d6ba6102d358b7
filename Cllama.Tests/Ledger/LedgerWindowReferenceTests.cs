using Cllama.Ledger;

namespace Cllama.Tests.Ledger;

/// <summary>
/// Differential check of the minute/hour/day bucket sums against the rule they implement, evaluated record by record:
/// in a rolling window of length L at now, a request counts iff its minute is not before the minute of now − L.
/// </summary>
public class LedgerWindowReferenceTests
{
    sealed record Entry(long Ms, decimal Cost, long TokensIn);

    static readonly DateTimeOffset Now = new(2025, 5, 20, 9, 41, 17, 250, TimeSpan.Zero);

    static bool Counts(long ms, BudgetWindow window, long nowMs) => window switch
    {
        BudgetWindow.Total => true,
        BudgetWindow.Month => MonthOf(ms) == MonthOf(nowMs),
        _ => ms / 60000 >= (nowMs - (long)window.RollingLength()!.Value.TotalMilliseconds) / 60000,
    };

    static (int, int) MonthOf(long ms)
    {
        var d = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return (d.Year, d.Month);
    }

    static DateTimeOffset? ReferenceResetsAt(List<Entry> entries, BudgetWindow window, long nowMs)
    {
        var inWindow = entries.Where(e => Counts(e.Ms, window, nowMs) && e.Cost > 0).ToList();
        if (window == BudgetWindow.Total || inWindow.Count == 0)
            return null;
        if (window == BudgetWindow.Month)
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(nowMs);
            return new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        }
        long oldestMinute = inWindow.Min(e => e.Ms / 60000);
        return DateTimeOffset.FromUnixTimeMilliseconds((oldestMinute + 1) * 60000) + window.RollingLength()!.Value;
    }

    [Theory]
    [InlineData(1, 50, false)]
    [InlineData(2, 400, false)]
    [InlineData(3, 3000, false)]
    [InlineData(4, 3000, true)]
    public async Task Bucket_sums_and_resets_match_the_record_by_record_rule(int seed, int count, bool durable)
    {
        var random = new Random(seed);
        using var dir = new Agents.TempDir();
        using var ledger = durable ? CostLedger.Open(dir.Path, new ManualClock(Now)) : new CostLedger(new ManualClock(Now));
        var writes = new List<Task>();
        var entries = new List<Entry>();
        long nowMs = Now.ToUnixTimeMilliseconds();
        for (int i = 0; i < count; i++)
        {
            // Clustered near the window edges as well as spread out, in arbitrary order.
            long age = random.Next(4) switch
            {
                0 => (long)(random.NextDouble() * 35 * 86_400_000),
                1 => 86_400_000 + random.Next(-200_000, 200_000),
                2 => 7 * 86_400_000L + random.Next(-200_000, 200_000),
                _ => 30 * 86_400_000L + random.Next(-4_000_000, 4_000_000),
            };
            var e = new Entry(nowMs - age, random.Next(1, 1000) / 10000m, random.Next(1, 500));
            entries.Add(e);
            // Not awaited yet: the durable ledger answers while part of them still waits for the disk.
            writes.Add(ledger.RecordAsync(Records.Forwarded(DateTimeOffset.FromUnixTimeMilliseconds(e.Ms), cost: e.Cost, tokensIn: e.TokensIn)).AsTask());
        }
        Check(ledger, entries, random, nowMs);
        await Task.WhenAll(writes);
        Check(ledger, entries, random, nowMs);
    }

    static void Check(CostLedger ledger, List<Entry> entries, Random random, long nowMs)
    {
        for (int q = 0; q < 30; q++)
        {
            long queryMs = nowMs - random.Next(0, 3 * 86_400_000);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(queryMs);
            foreach (var window in Enum.GetValues<BudgetWindow>())
            {
                var counted = entries.Where(e => Counts(e.Ms, window, queryMs)).ToList();
                Assert.Equal(counted.Sum(e => e.Cost), ledger.SpentUsd("tiverton", window, at));
                Assert.Equal(ReferenceResetsAt(entries, window, queryMs), ledger.ResetsAt("tiverton", window, at));
                var snapshot = ledger.Snapshot(window, at);
                Assert.Equal(counted.Count, snapshot.TotalRequests);
                Assert.Equal(counted.Sum(e => e.TokensIn), snapshot.Agents.Values.Sum(a => a.Models.Sum(m => m.InputTokens)));
            }
        }
    }
}
