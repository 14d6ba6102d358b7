namespace Cllama.Ledger;

/// <summary>The span a budget or a windowed cost view covers (CONTRACT §10: "24h", "7d", "30d", "month", "total").</summary>
public enum BudgetWindow
{
    /// <summary>The last 24 hours, rolling.</summary>
    Day24h,
    /// <summary>The last 7 days, rolling.</summary>
    Week7d,
    /// <summary>The last 30 days, rolling.</summary>
    Days30,
    /// <summary>The current calendar month, UTC.</summary>
    Month,
    /// <summary>Everything ever recorded.</summary>
    Total,
}

public static class BudgetWindows
{
    public static string Format(this BudgetWindow window) => window switch
    {
        BudgetWindow.Day24h => "24h",
        BudgetWindow.Week7d => "7d",
        BudgetWindow.Days30 => "30d",
        BudgetWindow.Month => "month",
        BudgetWindow.Total => "total",
        _ => throw new ArgumentOutOfRangeException(nameof(window)),
    };

    /// <summary>Parses the contract's spelling exactly ("24h", "7d", "30d", "month", "total"); anything else is false.</summary>
    public static bool TryParse(string? text, out BudgetWindow window)
    {
        switch (text)
        {
            case "24h": window = BudgetWindow.Day24h; return true;
            case "7d": window = BudgetWindow.Week7d; return true;
            case "30d": window = BudgetWindow.Days30; return true;
            case "month": window = BudgetWindow.Month; return true;
            case "total": window = BudgetWindow.Total; return true;
            default: window = default; return false;
        }
    }

    public static BudgetWindow Parse(string text) =>
        TryParse(text, out var window) ? window : throw new FormatException($"unknown budget window '{text}'; use 24h, 7d, 30d, month or total");

    /// <summary>The length of a rolling window; null for the calendar month and for total.</summary>
    public static TimeSpan? RollingLength(this BudgetWindow window) => window switch
    {
        BudgetWindow.Day24h => TimeSpan.FromHours(24),
        BudgetWindow.Week7d => TimeSpan.FromDays(7),
        BudgetWindow.Days30 => TimeSpan.FromDays(30),
        _ => null,
    };
}
