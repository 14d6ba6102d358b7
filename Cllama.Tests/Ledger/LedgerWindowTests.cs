using Cllama.Ledger;

namespace Cllama.Tests.Ledger;

/// <summary>
/// Window edges. Rolling windows count in whole UTC minutes (see SpendSeries): at <c>now</c> a request counts while
/// its minute ends after <c>now − length</c>. Months are exact calendar months, UTC.
/// </summary>
public class LedgerWindowTests
{
    // A minute boundary, and a moment 30.5 s into a minute.
    static readonly DateTimeOffset Aligned = new(2025, 3, 10, 14, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset MidMinute = new(2025, 3, 10, 14, 7, 30, 500, TimeSpan.Zero);

    static async Task<CostLedger> LedgerWithAsync(params (DateTimeOffset At, decimal? Cost)[] entries)
    {
        var ledger = new CostLedger(new ManualClock(Aligned));
        foreach (var (at, cost) in entries)
            await ledger.RecordAsync(Records.Forwarded(at, cost: cost));
        return ledger;
    }

    public static TheoryData<BudgetWindow> Rolling => new() { BudgetWindow.Day24h, BudgetWindow.Week7d, BudgetWindow.Days30 };

    [Theory]
    [MemberData(nameof(Rolling))]
    public async Task Rolling_window_edge_on_a_minute_boundary(BudgetWindow window)
    {
        var length = window.RollingLength()!.Value;
        var start = Aligned - length;
        using var ledger = await LedgerWithAsync((start, 1m), (start.AddMilliseconds(-1), 10m), (Aligned, 100m));
        Assert.Equal(101m, ledger.SpentUsd("tiverton", window, Aligned));
        // The oldest counted spend is the minute starting at the window's start; it leaves a minute from now.
        Assert.Equal(Aligned.AddMinutes(1), ledger.ResetsAt("tiverton", window, Aligned));
        Assert.Equal(101m, ledger.SpentUsd("tiverton", window, Aligned.AddMinutes(1).AddMilliseconds(-1)));
        Assert.Equal(100m, ledger.SpentUsd("tiverton", window, Aligned.AddMinutes(1)));
        Assert.Equal(Aligned + length + TimeSpan.FromMinutes(1), ledger.ResetsAt("tiverton", window, Aligned.AddMinutes(1)));
    }

    [Theory]
    [MemberData(nameof(Rolling))]
    public async Task Rolling_window_edge_inside_a_minute_counts_the_whole_edge_minute(BudgetWindow window)
    {
        var length = window.RollingLength()!.Value;
        var start = MidMinute - length; // hh:07:30.500
        var edgeMinute = start.AddSeconds(-30.5); // hh:07:00.000
        using var ledger = await LedgerWithAsync(
            (edgeMinute, 1m),                         // 30.5 s before the start, same minute: counts (errs on spend)
            (start.AddSeconds(29.499), 2m),           // last ms of that minute
            (edgeMinute.AddMilliseconds(-1), 10m),    // previous minute: out
            (MidMinute, 100m));
        Assert.Equal(103m, ledger.SpentUsd("tiverton", window, MidMinute));
        var resets = edgeMinute.AddMinutes(1) + length;
        Assert.Equal(resets, ledger.ResetsAt("tiverton", window, MidMinute));
        Assert.Equal(103m, ledger.SpentUsd("tiverton", window, resets.AddMilliseconds(-1)));
        Assert.Equal(100m, ledger.SpentUsd("tiverton", window, resets));
    }

    [Fact]
    public async Task Rolling_windows_of_different_lengths_see_different_spend()
    {
        using var ledger = await LedgerWithAsync((Aligned.AddHours(-1), 1m), (Aligned.AddDays(-2), 2m), (Aligned.AddDays(-8), 4m),
            (Aligned.AddDays(-29), 8m), (Aligned.AddDays(-31), 16m));
        Assert.Equal(1m, ledger.SpentUsd("tiverton", BudgetWindow.Day24h, Aligned));
        Assert.Equal(3m, ledger.SpentUsd("tiverton", BudgetWindow.Week7d, Aligned));
        Assert.Equal(15m, ledger.SpentUsd("tiverton", BudgetWindow.Days30, Aligned));
        Assert.Equal(31m, ledger.SpentUsd("tiverton", BudgetWindow.Total, Aligned));
        Assert.Equal(Aligned.AddHours(-1).AddMinutes(1).AddDays(1), ledger.ResetsAt("tiverton", BudgetWindow.Day24h, Aligned));
        Assert.Equal(Aligned.AddDays(-2).AddMinutes(1).AddDays(7), ledger.ResetsAt("tiverton", BudgetWindow.Week7d, Aligned));
        Assert.Equal(Aligned.AddDays(-29).AddMinutes(1).AddDays(30), ledger.ResetsAt("tiverton", BudgetWindow.Days30, Aligned));
    }

    [Fact]
    public async Task Calendar_month_rolls_over_at_midnight_utc_on_the_first()
    {
        var lastMs = new DateTimeOffset(2025, 1, 31, 23, 59, 59, 999, TimeSpan.Zero);
        var feb1 = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero);
        using var ledger = await LedgerWithAsync((new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), 1m), (lastMs, 2m), (feb1, 4m));
        Assert.Equal(3m, ledger.SpentUsd("tiverton", BudgetWindow.Month, lastMs));
        Assert.Equal(feb1, ledger.ResetsAt("tiverton", BudgetWindow.Month, lastMs));
        Assert.Equal(4m, ledger.SpentUsd("tiverton", BudgetWindow.Month, feb1));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero), ledger.ResetsAt("tiverton", BudgetWindow.Month, feb1));
        // The rolling 24h window still sees January's last minute.
        Assert.Equal(6m, ledger.SpentUsd("tiverton", BudgetWindow.Day24h, feb1));
    }

    [Fact]
    public async Task Calendar_month_rolls_over_the_year()
    {
        var dec31 = new DateTimeOffset(2024, 12, 31, 23, 59, 59, 999, TimeSpan.Zero);
        var jan1 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var ledger = await LedgerWithAsync((new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero), 1m), (dec31, 2m), (jan1.AddSeconds(1), 4m));
        Assert.Equal(3m, ledger.SpentUsd("tiverton", BudgetWindow.Month, dec31));
        Assert.Equal(jan1, ledger.ResetsAt("tiverton", BudgetWindow.Month, dec31));
        Assert.Equal(4m, ledger.SpentUsd("tiverton", BudgetWindow.Month, jan1.AddDays(30)));
        Assert.Equal(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero), ledger.ResetsAt("tiverton", BudgetWindow.Month, jan1.AddDays(30)));
        Assert.Equal(0m, ledger.SpentUsd("tiverton", BudgetWindow.Month, new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Total_never_resets_and_empty_windows_have_no_reset()
    {
        using var ledger = await LedgerWithAsync((Aligned.AddDays(-400), 5m), (Aligned.AddDays(-40), null));
        Assert.Equal(5m, ledger.SpentUsd("tiverton", BudgetWindow.Total, Aligned));
        Assert.Null(ledger.ResetsAt("tiverton", BudgetWindow.Total, Aligned));
        foreach (var window in new[] { BudgetWindow.Day24h, BudgetWindow.Week7d, BudgetWindow.Days30, BudgetWindow.Month })
        {
            Assert.Equal(0m, ledger.SpentUsd("tiverton", window, Aligned));
            Assert.Null(ledger.ResetsAt("tiverton", window, Aligned));
        }
        Assert.Equal(0m, ledger.SpentUsd("nobody", BudgetWindow.Total, Aligned));
        Assert.Null(ledger.ResetsAt("nobody", BudgetWindow.Day24h, Aligned));
    }

    [Fact]
    public async Task Unpriced_requests_count_as_requests_but_not_as_spend_or_a_reset()
    {
        using var ledger = await LedgerWithAsync((Aligned.AddMinutes(-5), null), (Aligned.AddMinutes(-3), 0.5m));
        Assert.Equal(0.5m, ledger.SpentUsd("tiverton", BudgetWindow.Day24h, Aligned));
        Assert.Equal(Aligned.AddMinutes(-2).AddDays(1), ledger.ResetsAt("tiverton", BudgetWindow.Day24h, Aligned));
        var snapshot = ledger.Snapshot(BudgetWindow.Day24h, Aligned);
        Assert.Equal(2, snapshot.TotalRequests);
        Assert.Equal(1, snapshot.UnpricedRequests);
    }

    [Fact]
    public async Task Windowed_snapshot_leaves_out_agents_and_models_with_nothing_in_the_window()
    {
        var ledger = new CostLedger(new ManualClock(Aligned));
        await ledger.RecordAsync(Records.Forwarded(Aligned.AddDays(-3), agent: "allen", model: "old", cost: 1m));
        await ledger.RecordAsync(Records.Forwarded(Aligned.AddHours(-3), agent: "westin", model: "new", cost: 2m, tokensIn: 7));
        await ledger.RecordAsync(Records.Forwarded(Aligned.AddDays(-3), agent: "westin", model: "old", cost: 4m));
        var day = ledger.Snapshot(BudgetWindow.Day24h, Aligned);
        var agent = Assert.Single(day.Agents);
        Assert.Equal("westin", agent.Key);
        var model = Assert.Single(agent.Value.Models);
        Assert.Equal(("new", 7L, 2m, 1L), (model.Model, model.InputTokens, model.CostUsd, model.Requests));
        Assert.Equal((2m, 1L), (day.TotalCostUsd, day.TotalRequests));
        Assert.Equal(7m, ledger.Snapshot(BudgetWindow.Week7d, Aligned).TotalCostUsd);
        Assert.Equal(Records.Json(ledger.Snapshot(BudgetWindow.Total, Aligned)), Records.Json(ledger.Snapshot(null, Aligned)));
    }

    [Fact]
    public async Task Minute_hour_and_day_buckets_older_than_31_days_are_pruned_but_months_and_total_stay()
    {
        using var dir = new Agents.TempDir();
        var clock = new ManualClock(Aligned);
        using (var ledger = CostLedger.Open(dir.Path, clock))
        {
            await ledger.RecordAsync(Records.Forwarded(Aligned.AddDays(-1), cost: 1m));
            await ledger.RecordAsync(Records.Forwarded(Aligned, cost: 2m));
        }
        long full = new FileInfo(LedgerImage.Snapshot(dir.Path)).Length;
        clock.Now = Aligned.AddDays(40);
        using (var later = CostLedger.Open(dir.Path, clock))
        {
            Assert.Equal(0m, later.SpentUsd("tiverton", BudgetWindow.Days30, clock.Now));
            Assert.Null(later.ResetsAt("tiverton", BudgetWindow.Days30, clock.Now));
            Assert.Equal(3m, later.SpentUsd("tiverton", BudgetWindow.Total, clock.Now));
            Assert.Equal(3m, later.SpentUsd("tiverton", BudgetWindow.Month, Aligned));
        }
        Assert.True(new FileInfo(LedgerImage.Snapshot(dir.Path)).Length < full, "pruned buckets are not written again");
    }
}
