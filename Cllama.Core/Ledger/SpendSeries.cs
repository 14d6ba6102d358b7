namespace Cllama.Ledger;

/// <summary>
/// The history of one agent's use of one model, at the resolutions the budget windows need.
/// </summary>
/// <remarks>
/// Why buckets and not the records themselves: answering "spend in the last 30 days" to the millisecond means keeping
/// every request of the last 30 days in memory and in every snapshot, and a busy proxy records millions a month.
/// Instead each request lands in its UTC minute, hour, day and month, and rolling windows are counted in whole
/// minutes: at <c>now</c>, a window of length L covers every minute that ends after <c>now − L</c>. A request
/// therefore counts from the moment it is recorded until the window has passed all of its minute: up to 59.999 s
/// longer than an exact window, never shorter, so a budget errs on the side of spend. Calendar months and total
/// are exact. A window sum reads minutes up to the first whole hour, hours up to the first whole day, then days:
/// about 115 additions for 30 days, not 43,200. Minute, hour and day buckets older than 31 days are pruned (no
/// rolling window reaches further back); months and the total are kept for ever.
/// </remarks>
sealed class SpendSeries
{
    public const long MinuteMs = 60_000, HourMs = 3_600_000, DayMs = 86_400_000;

    public Totals Total;
    public TimeBuckets Months { get; } = new();
    public TimeBuckets Days { get; } = new();
    public TimeBuckets Hours { get; } = new();
    public TimeBuckets Minutes { get; } = new();

    public void Add(in LedgerEntry e)
    {
        long ms = e.TimestampMs;
        Total.Add(e);
        Months.At(MonthKey(ms)).Add(e);
        Days.At(FloorDiv(ms, DayMs)).Add(e);
        Hours.At(FloorDiv(ms, HourMs)).Add(e);
        Minutes.At(FloorDiv(ms, MinuteMs)).Add(e);
    }

    public Totals In(BudgetWindow window, long nowMs) => window switch
    {
        BudgetWindow.Total => Total,
        BudgetWindow.Month => Months.Get(MonthKey(nowMs)),
        _ => Since(WindowStart(window, nowMs)),
    };

    /// <summary>
    /// When spend in <paramref name="window"/> next goes down: the end of the month, or the moment the rolling window
    /// leaves the oldest minute with spend in it. Null for total, and when the window holds no spend.
    /// </summary>
    public long? ResetsAtMs(BudgetWindow window, long nowMs)
    {
        if (window == BudgetWindow.Total)
            return null;
        if (window == BudgetWindow.Month)
        {
            long month = MonthKey(nowMs);
            return Months.Get(month).CostUsd > 0 ? MonthStartMs(month + 1) : null;
        }
        long start = WindowStart(window, nowMs);
        return FirstSpendMinute(start) is long minute ? (minute + 1) * MinuteMs + (nowMs - start) : null;
    }

    /// <summary>Whether one entry at <paramref name="ms"/> counts in <paramref name="window"/>: the rule the buckets implement.</summary>
    public static bool Counts(long ms, BudgetWindow window, long nowMs) => window switch
    {
        BudgetWindow.Total => true,
        BudgetWindow.Month => MonthKey(ms) == MonthKey(nowMs),
        _ => FloorDiv(ms, MinuteMs) >= FloorDiv(WindowStart(window, nowMs), MinuteMs),
    };

    /// <summary>When one entry that counts in <paramref name="window"/> stops counting (null for total).</summary>
    public static long? EntryLeavesAtMs(long ms, BudgetWindow window, long nowMs) => window switch
    {
        BudgetWindow.Total => null,
        BudgetWindow.Month => MonthStartMs(MonthKey(nowMs) + 1),
        _ => (FloorDiv(ms, MinuteMs) + 1) * MinuteMs + (nowMs - WindowStart(window, nowMs)),
    };

    public void PruneBefore(long cutoffMs)
    {
        long day = FloorDiv(cutoffMs, DayMs);
        Days.RemoveBefore(day);
        Hours.RemoveBefore(day * 24);
        Minutes.RemoveBefore(day * 24 * 60);
    }

    static long WindowStart(BudgetWindow window, long nowMs) => nowMs - (long)window.RollingLength()!.Value.TotalMilliseconds;

    Totals Since(long startMs)
    {
        var (firstMinute, firstHour, firstDay) = Edges(startMs);
        Totals sum = default;
        Minutes.SumRange(firstMinute, firstHour * 60, ref sum);
        Hours.SumRange(firstHour, firstDay * 24, ref sum);
        Days.SumRange(firstDay, long.MaxValue, ref sum);
        return sum;
    }

    long? FirstSpendMinute(long startMs)
    {
        var (firstMinute, firstHour, firstDay) = Edges(startMs);
        if (Minutes.FirstWithSpend(firstMinute, firstHour * 60) is long minute)
            return minute;
        if (Hours.FirstWithSpend(firstHour, firstDay * 24) is long hour)
            return FirstSpendMinuteOfHour(hour);
        if (Days.FirstWithSpend(firstDay, long.MaxValue) is long day)
            return FirstSpendMinuteOfHour(Hours.FirstWithSpend(day * 24, day * 24 + 24) ?? day * 24);
        return null;
    }

    long FirstSpendMinuteOfHour(long hour) => Minutes.FirstWithSpend(hour * 60, hour * 60 + 60) ?? hour * 60;

    /// <summary>The window's first minute, the first whole hour from there, and the first whole day from there.</summary>
    static (long Minute, long Hour, long Day) Edges(long startMs)
    {
        long minute = FloorDiv(startMs, MinuteMs);
        long hour = -FloorDiv(-minute, 60);
        long day = -FloorDiv(-hour, 24);
        return (minute, hour, day);
    }

    public static long MonthKey(long ms)
    {
        var date = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        return date.Year * 12L + date.Month - 1;
    }

    public static long MonthStartMs(long key) =>
        new DateTimeOffset((int)(key / 12), (int)(key % 12) + 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
