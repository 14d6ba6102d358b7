using Cllama.Ledger;
using Cllama.Tests.Agents;

namespace Cllama.Tests.Ledger;

public class LedgerPersistenceTests
{
    static readonly DateTimeOffset T0 = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);
    static readonly ManualClock Clock = new(T0.AddHours(1));

    static async Task<string> RecordMixAsync(CostLedger ledger, int count, int offset = 0)
    {
        for (int i = offset; i < offset + count; i++)
        {
            await ledger.RecordAsync(Records.Forwarded(T0.AddSeconds(i * 7), agent: i % 3 == 0 ? "allen" : "tiverton",
                cost: i % 5 == 0 ? null : 0.000123m * (i + 1), model: i % 2 == 0 ? "gpt-4o" : "gpt-4o-mini",
                tokensIn: 100 + i, tokensOut: 10 + i, cached: i, partial: i % 11 == 0));
        }
        return Records.Json(ledger.Snapshot(null, Clock.Now));
    }

    [Fact]
    public async Task Reopened_after_a_clean_close_the_totals_are_identical()
    {
        using var dir = new TempDir();
        string before;
        using (var ledger = CostLedger.Open(dir.Path, Clock))
            before = await RecordMixAsync(ledger, 50);
        using var reopened = CostLedger.Open(dir.Path, Clock);
        Assert.Equal(before, Records.Json(reopened.Snapshot(null, Clock.Now)));
        Assert.Contains("\"total_requests\":50", before);
        // A clean close leaves one snapshot and one empty segment: start-up reads no entries at all.
        var segment = Assert.Single(LedgerImage.Segments(dir.Path));
        Assert.Equal(16, new FileInfo(segment).Length);
    }

    [Fact]
    public async Task Closed_by_a_waiter_on_the_writer_thread_it_finishes_its_work_there()
    {
        // Waiters resume on the ledger's writer thread; a Dispose made there cannot wait for that thread (itself), so
        // it writes the final snapshot in place. The bound turns a deadlock into a failure instead of a hung run.
        using var dir = new TempDir();
        var ledger = CostLedger.Open(dir.Path, Clock);
        await RecordMixAsync(ledger, 20);
        string? closedOn = null;
        var closed = ledger.RecordAsync(Records.Forwarded(T0.AddSeconds(200), cost: 0.5m)).AsTask().ContinueWith(_ =>
        {
            closedOn = Thread.CurrentThread.Name;
            ledger.Dispose();
        }, TaskContinuationOptions.ExecuteSynchronously);
        await closed.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("cllama-ledger", closedOn); // the case under test, not a pool thread
        using var reopened = CostLedger.Open(dir.Path, Clock);
        Assert.Contains("\"total_requests\":21", Records.Json(reopened.Snapshot(null, Clock.Now)));
        Assert.Equal(16, new FileInfo(Assert.Single(LedgerImage.Segments(dir.Path))).Length); // the final snapshot was taken
    }

    [Fact]
    public async Task A_crash_image_holds_every_entry_whose_RecordAsync_returned()
    {
        using var dir = new TempDir();
        using var crashed = new TempDir();
        using var ledger = CostLedger.Open(dir.Path, Clock);
        string before = await RecordMixAsync(ledger, 40);
        LedgerImage.Copy(dir.Path, crashed.Path);
        using var recovered = CostLedger.Open(crashed.Path, Clock);
        Assert.Equal(before, Records.Json(recovered.Snapshot(null, Clock.Now)));
        foreach (var window in Enum.GetValues<BudgetWindow>())
            Assert.Equal(ledger.SpentUsd("tiverton", window, Clock.Now), recovered.SpentUsd("tiverton", window, Clock.Now));
    }

    [Fact]
    public async Task Appending_continues_after_a_reopen_and_survives_another()
    {
        using var dir = new TempDir();
        using (var ledger = CostLedger.Open(dir.Path, Clock))
            await RecordMixAsync(ledger, 10);
        string expected;
        using (var ledger = CostLedger.Open(dir.Path, Clock))
            expected = await RecordMixAsync(ledger, 15, offset: 10);
        using (var all = new CostLedger(Clock))
            Assert.Equal(await RecordMixAsync(all, 25), expected);
        using var reopened = CostLedger.Open(dir.Path, Clock);
        Assert.Equal(expected, Records.Json(reopened.Snapshot(null, Clock.Now)));
    }

    [Fact]
    public async Task Every_field_of_an_entry_survives_the_log()
    {
        using var dir = new TempDir();
        using var crashed = new TempDir();
        using var ledger = CostLedger.Open(dir.Path, Clock);
        await ledger.RecordAsync(Records.Forwarded(T0, agent: "westin", cost: 0.0000000000000000000000000001m, provider: "anthropic",
            model: "claude-sonnet-4-\u00e9", tokensIn: long.MaxValue / 4, tokensOut: 0, cached: 7, partial: true, status: 599));
        await ledger.RecordAsync(Records.Forwarded(T0, agent: "westin", cost: -1.5m, provider: "anthropic", model: "claude-sonnet-4-\u00e9"));
        LedgerImage.Copy(dir.Path, crashed.Path);
        using var recovered = CostLedger.Open(crashed.Path, Clock);
        var model = Assert.Single(recovered.Snapshot(null, Clock.Now).Agents["westin"].Models);
        Assert.Equal(("anthropic", "claude-sonnet-4-\u00e9"), (model.Provider, model.Model));
        Assert.Equal(long.MaxValue / 4 + 200, model.InputTokens);
        Assert.Equal(7, model.CachedTokens);
        Assert.Equal(-1.4999999999999999999999999999m, model.CostUsd);
        Assert.Equal(2, model.Requests);
    }

    [Fact]
    public async Task An_entry_counts_as_soon_as_it_is_recorded_and_once_when_it_reaches_the_disk()
    {
        using var dir = new TempDir();
        using var ledger = CostLedger.Open(dir.Path, Clock);
        for (int i = 1; i <= 30; i++)
        {
            var durable = ledger.RecordAsync(Records.Forwarded(T0.AddMinutes(i), cost: 1m));
            Assert.Equal(i, ledger.Snapshot(BudgetWindow.Day24h, Clock.Now).TotalRequests);
            Assert.Equal(i, ledger.SpentUsd("tiverton", BudgetWindow.Day24h, Clock.Now));
            Assert.Equal(T0.AddMinutes(2).AddDays(1), ledger.ResetsAt("tiverton", BudgetWindow.Day24h, Clock.Now));
            await durable;
            Assert.Equal(i, ledger.SpentUsd("tiverton", BudgetWindow.Day24h, Clock.Now));
        }
    }

    [Fact]
    public async Task Requests_that_never_reached_a_provider_are_not_written()
    {
        using var dir = new TempDir();
        using var ledger = CostLedger.Open(dir.Path, Clock);
        var refused = Records.Forwarded(T0, status: 401) with { Forwarded = false };
        Assert.True(ledger.RecordAsync(refused).IsCompletedSuccessfully);
        Assert.True(ledger.RecordAsync(refused with { Forwarded = true, Provider = null }).IsCompletedSuccessfully);
        Assert.Equal(16, new FileInfo(Assert.Single(LedgerImage.Segments(dir.Path))).Length);
        Assert.Equal(0, ledger.Snapshot(null, Clock.Now).TotalRequests);
    }

    [Fact]
    public async Task Compaction_snapshots_and_drops_old_segments_and_replay_adds_only_the_rest()
    {
        using var dir = new TempDir();
        using var crashed = new TempDir();
        string expected;
        using (var ledger = CostLedger.Open(dir.Path, Clock, compactEvery: 8))
        {
            await RecordMixAsync(ledger, 30);
        }
        // After the close: snapshot + empty segment. Now add entries that live only in the log, and crash.
        using (var ledger = CostLedger.Open(dir.Path, Clock, compactEvery: 1000))
        {
            expected = await RecordMixAsync(ledger, 5, offset: 30);
            LedgerImage.Copy(dir.Path, crashed.Path);
        }
        Assert.True(File.Exists(LedgerImage.Snapshot(crashed.Path)));
        Assert.Single(LedgerImage.Segments(crashed.Path));
        using var recovered = CostLedger.Open(crashed.Path, Clock);
        Assert.Equal(expected, Records.Json(recovered.Snapshot(null, Clock.Now)));
        using var reference = new CostLedger(Clock);
        Assert.Equal(await RecordMixAsync(reference, 35), expected);
    }

    [Fact]
    public async Task Segments_a_snapshot_already_covers_are_deleted_at_start_up_not_counted_twice()
    {
        using var dir = new TempDir();
        string expected, first;
        using (var ledger = CostLedger.Open(dir.Path, Clock))
        {
            expected = await RecordMixAsync(ledger, 12);
            first = LedgerImage.Segments(dir.Path)[0];
            File.Copy(first, first + ".keep");
        }
        // The crash came after the snapshot was renamed into place, before the segments it covers were deleted.
        File.Move(first + ".keep", first);
        using var reopened = CostLedger.Open(dir.Path, Clock);
        Assert.Equal(expected, Records.Json(reopened.Snapshot(null, Clock.Now)));
        Assert.False(File.Exists(first));
    }

    [Fact]
    public async Task An_interrupted_snapshot_write_is_ignored()
    {
        using var dir = new TempDir();
        string expected;
        using (var ledger = CostLedger.Open(dir.Path, Clock))
            expected = await RecordMixAsync(ledger, 6);
        File.WriteAllBytes(LedgerImage.Snapshot(dir.Path) + ".tmp", [1, 2, 3]);
        using var reopened = CostLedger.Open(dir.Path, Clock);
        Assert.Equal(expected, Records.Json(reopened.Snapshot(null, Clock.Now)));
        Assert.False(File.Exists(LedgerImage.Snapshot(dir.Path) + ".tmp"));
    }

    [Fact]
    public async Task A_second_process_cannot_open_a_ledger_in_use()
    {
        using var dir = new TempDir();
        using var ledger = CostLedger.Open(dir.Path, Clock);
        var e = Assert.Throws<IOException>(() => CostLedger.Open(dir.Path, Clock));
        Assert.Contains("ledger.lock", e.Message);
        await ledger.RecordAsync(Records.Forwarded(T0));
    }
}
