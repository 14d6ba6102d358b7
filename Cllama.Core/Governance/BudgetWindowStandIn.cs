namespace Cllama.Ledger;

// Stand-in until the ledger branch (which owns Ledger/BudgetWindow.cs with this same API) is merged; deleted then.
public enum BudgetWindow { Day24h, Week7d, Days30, Month, Total }

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
        TryParse(text, out var window) ? window : throw new FormatException($"unknown budget window '{text}'");
}
