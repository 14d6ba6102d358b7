using Cllama.Ledger;
using Cllama.Tests.Agents;

namespace Cllama.Tests.Ledger;

public class LedgerConcurrencyTests
{
    static readonly DateTimeOffset T0 = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Parallel_writers_lose_nothing_and_share_fsyncs()
    {
        using var dir = new TempDir();
        var clock = new ManualClock(T0.AddHours(1));
        const int Writers = 64, PerWriter = 50;
        string expected;
        using (var ledger = CostLedger.Open(dir.Path, clock, compactEvery: 700))
        {
            using var start = new ManualResetEventSlim();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                start.Wait();
                for (int i = 0; i < PerWriter; i++)
                    await ledger.RecordAsync(Records.Forwarded(T0.AddSeconds(i), agent: $"agent-{w % 4}", cost: 0.0001m * (w + 1), tokensIn: w));
            })).ToArray();
            // A reader meanwhile: an entry counts from its RecordAsync call on, exactly once, through its fsync.
            long seen = 0;
            var reader = Task.Run(() =>
            {
                start.Wait();
                while (seen < Writers * PerWriter)
                {
                    long now = ledger.Snapshot(null, clock.Now).TotalRequests;
                    Assert.InRange(now, seen, Writers * PerWriter);
                    seen = now;
                }
            });
            start.Set();
            await Task.WhenAll(writers);
            await reader.WaitAsync(TimeSpan.FromSeconds(30));

            var snapshot = ledger.Snapshot(null, clock.Now);
            Assert.Equal(Writers * PerWriter, snapshot.TotalRequests);
            Assert.Equal(Enumerable.Range(1, Writers).Sum(w => 0.0001m * w) * PerWriter, snapshot.TotalCostUsd);
            Assert.Equal(Enumerable.Range(0, Writers).Sum(w => (long)w) * PerWriter, snapshot.Agents.Values.Sum(a => a.Models.Sum(m => m.InputTokens)));
            Assert.True(ledger.Commits < Writers * PerWriter, $"{ledger.Commits} fsyncs for {Writers * PerWriter} entries: no group commit");
            expected = Records.Json(snapshot);
        }
        using var reopened = CostLedger.Open(dir.Path, clock);
        Assert.Equal(expected, Records.Json(reopened.Snapshot(null, clock.Now)));
    }

    [Fact]
    public async Task Recording_after_dispose_is_refused_and_dispose_is_idempotent()
    {
        using var dir = new TempDir();
        var ledger = CostLedger.Open(dir.Path);
        await ledger.RecordAsync(Records.Forwarded(T0));
        ledger.Dispose();
        ledger.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ledger.RecordAsync(Records.Forwarded(T0)));
    }
}
