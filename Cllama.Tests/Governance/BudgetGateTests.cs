using Cllama.Costs;
using Cllama.Governance;
using Cllama.Ledger;

namespace Cllama.Tests.Governance;

public class BudgetGateTests
{
    static readonly DateTimeOffset T0 = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    static readonly AgentBudget TenPerDay = new(10m, BudgetWindow.Day24h);

    /// <summary>A request whose worst case is exactly <paramref name="usd"/> (a body cap, no clamping).</summary>
    static CostBound Costing(decimal usd) => new(usd, 0m, 0, false);

    [Fact]
    public void Reservations_count_against_the_limit_until_released()
    {
        var gate = new BudgetGate(new ScriptedSpend(), new ManualClock(T0));
        var a = gate.TryReserve("tiverton", TenPerDay, Costing(4m));
        var b = gate.TryReserve("tiverton", TenPerDay, Costing(4m));
        Assert.NotNull(a.Reservation);
        Assert.NotNull(b.Reservation);
        Assert.Equal(8m, gate.Status("tiverton", TenPerDay).ReservedUsd);
        Assert.Equal(2, gate.InFlight("tiverton"));

        var c = gate.TryReserve("tiverton", TenPerDay, Costing(4m));
        Assert.Null(c.Reservation);
        var refusal = c.Refusal!;
        Assert.Equal((10m, 0m, 8m, 4m), (refusal.LimitUsd, refusal.SpentUsd, refusal.ReservedUsd, refusal.NeededUsd));
        Assert.Equal(1, refusal.RetryAfterSeconds); // only requests in flight stand in the way

        a.Reservation!.Dispose();
        a.Reservation.Dispose(); // idempotent
        Assert.Equal(4m, gate.Status("tiverton", TenPerDay).ReservedUsd);
        Assert.NotNull(gate.TryReserve("tiverton", TenPerDay, Costing(4m)).Reservation);
        Assert.NotNull(gate.TryReserve("westin", TenPerDay, Costing(10m)).Reservation); // agents never share a budget
    }

    [Fact]
    public void A_clamped_request_reserves_only_what_it_was_clamped_to()
    {
        var gate = new BudgetGate(new ScriptedSpend(), new ManualClock(T0));
        // $1 input, $0.002 an output token, no cap in the body.
        var d = gate.TryReserve("tiverton", TenPerDay, new CostBound(1m, 0.002m, null, true));
        Assert.Equal(4500, d.ClampTo);
        Assert.Equal(10m, d.Reservation!.AmountUsd);
        Assert.Equal(0m, gate.Status("tiverton", TenPerDay).RemainingUsd);
    }

    static async Task SpendAsync(CostLedger ledger, string agent, DateTimeOffset at, decimal usd) =>
        await ledger.RecordAsync(new RequestRecord
        {
            Timestamp = at, RequestId = "req_" + at.ToUnixTimeMilliseconds(), AgentId = agent, Type = "response",
            Provider = "fake", UpstreamModel = "gpt-test", StatusCode = 200, CostUsd = usd, CostSource = CostSource.Computed,
            Forwarded = true,
        });

    [Fact]
    public async Task At_a_rolling_window_edge_spend_frees_up_and_retry_after_counts_down_to_it()
    {
        var clock = new ManualClock(T0);
        using var ledger = new CostLedger(clock);
        var gate = new BudgetGate(new LedgerSpend(ledger), clock);
        await SpendAsync(ledger, "tiverton", T0 + TimeSpan.FromSeconds(30), 7m);
        await SpendAsync(ledger, "tiverton", T0 + TimeSpan.FromHours(1), 2m);

        // The ledger keeps rolling windows in whole minutes: the $7 of 12:00:30 leaves the window at 12:01 next day.
        var frees = T0 + TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1);
        clock.Now = T0 + TimeSpan.FromHours(23);
        var refused = gate.TryReserve("tiverton", TenPerDay, Costing(2m)).Refusal!;
        Assert.Equal(9m, refused.SpentUsd);
        Assert.Equal(frees, refused.ResetsAt);
        Assert.Equal(3660, refused.RetryAfterSeconds);

        clock.Now = frees - TimeSpan.FromMilliseconds(1);
        refused = gate.TryReserve("tiverton", TenPerDay, Costing(2m)).Refusal!;
        Assert.Equal(1, refused.RetryAfterSeconds); // rounded up: never "retry after 0"

        clock.Now = frees;
        var admitted = gate.TryReserve("tiverton", TenPerDay, Costing(2m));
        Assert.NotNull(admitted.Reservation);
        Assert.Equal(2m, gate.Status("tiverton", TenPerDay).SpentUsd);
        Assert.Equal(2m, gate.Status("tiverton", TenPerDay).ReservedUsd);
    }

    [Fact]
    public async Task A_month_budget_frees_up_when_the_calendar_month_ends()
    {
        var endOfMarch = new DateTimeOffset(2026, 3, 31, 23, 59, 0, TimeSpan.Zero);
        var clock = new ManualClock(endOfMarch);
        using var ledger = new CostLedger(clock);
        var gate = new BudgetGate(new LedgerSpend(ledger), clock);
        var monthly = new AgentBudget(5m, BudgetWindow.Month);
        await SpendAsync(ledger, "tiverton", endOfMarch, 4.5m);

        clock.Now = endOfMarch + TimeSpan.FromSeconds(30);
        var refused = gate.TryReserve("tiverton", monthly, Costing(1m)).Refusal!;
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), refused.ResetsAt);
        Assert.Equal(30, refused.RetryAfterSeconds);

        clock.Now = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.NotNull(gate.TryReserve("tiverton", monthly, Costing(1m)).Reservation);
        Assert.Equal(0m, gate.Status("tiverton", monthly).SpentUsd);
    }

    [Fact]
    public void No_retry_after_when_waiting_cannot_help()
    {
        var clock = new ManualClock(T0);
        var spend = new ScriptedSpend();
        var gate = new BudgetGate(spend, clock);
        spend.Add("tiverton", T0, 9.5m);

        // A total budget never frees up.
        var total = gate.TryReserve("tiverton", new AgentBudget(10m, BudgetWindow.Total), Costing(1m)).Refusal!;
        Assert.Null(total.ResetsAt);
        Assert.Null(total.RetryAfterSeconds);

        // A request dearer than the whole limit never fits, whatever expires.
        var huge = gate.TryReserve("westin", TenPerDay, Costing(10.01m)).Refusal!;
        Assert.Equal(0m, huge.SpentUsd);
        Assert.Null(huge.RetryAfterSeconds);
    }

    [Fact]
    public async Task Concurrent_reservations_never_let_spend_pass_the_limit()
    {
        var clock = new ManualClock(T0);
        using var ledger = new CostLedger(clock);
        var gate = new BudgetGate(new LedgerSpend(ledger), clock);
        var budget = new AgentBudget(1m, BudgetWindow.Day24h);
        int admitted = 0, violations = 0;
        using var start = new Barrier(16);

        // Each worker admits requests whose real cost is their whole worst case, records it in the ledger, then
        // releases: the order the proxy follows. Recorded spend is checked after every record. (Spend plus
        // reservations may briefly pass the limit between a record and its release: that request is then counted
        // twice, never zero times.) Dedicated threads: sixteen pool threads behind a barrier would wait for the pool.
        var workers = Enumerable.Range(0, 16).Select(w => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < 200; i++)
            {
                var d = gate.TryReserve("tiverton", budget, Costing(0.013m + w * 0.0001m));
                if (d.Reservation is not { } reservation)
                    continue;
                Interlocked.Increment(ref admitted);
                SpendAsync(ledger, "tiverton", T0, reservation.AmountUsd).GetAwaiter().GetResult();
                if (ledger.SpentUsd("tiverton", BudgetWindow.Day24h, T0) > budget.LimitUsd)
                    Interlocked.Increment(ref violations);
                reservation.Dispose();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(0, violations);
        Assert.True(admitted > 0);
        decimal spent = ledger.SpentUsd("tiverton", BudgetWindow.Day24h, T0);
        Assert.True(spent <= 1m, $"spent {spent}");
        Assert.True(spent > 1m - 0.0145m, $"the budget should be used up, spent {spent}"); // no room left for any worker
        Assert.Equal(0m, gate.Status("tiverton", budget).ReservedUsd);
    }
}
