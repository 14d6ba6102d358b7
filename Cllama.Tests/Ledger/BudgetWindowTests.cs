using Cllama.Ledger;

namespace Cllama.Tests.Ledger;

public class BudgetWindowTests
{
    [Theory]
    [InlineData("24h", BudgetWindow.Day24h)]
    [InlineData("7d", BudgetWindow.Week7d)]
    [InlineData("30d", BudgetWindow.Days30)]
    [InlineData("month", BudgetWindow.Month)]
    [InlineData("total", BudgetWindow.Total)]
    public void Parses_and_formats_the_contract_spelling(string text, BudgetWindow window)
    {
        Assert.True(BudgetWindows.TryParse(text, out var parsed));
        Assert.Equal(window, parsed);
        Assert.Equal(window, BudgetWindows.Parse(text));
        Assert.Equal(text, window.Format());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("24H")]
    [InlineData("1d")]
    [InlineData(" 7d")]
    [InlineData("Month")]
    public void Refuses_anything_else(string? text)
    {
        Assert.False(BudgetWindows.TryParse(text, out _));
        if (text is not null)
            Assert.Contains("24h, 7d, 30d, month or total", Assert.Throws<FormatException>(() => BudgetWindows.Parse(text)).Message);
    }

    [Fact]
    public void Rolling_lengths()
    {
        Assert.Equal(TimeSpan.FromHours(24), BudgetWindow.Day24h.RollingLength());
        Assert.Equal(TimeSpan.FromDays(7), BudgetWindow.Week7d.RollingLength());
        Assert.Equal(TimeSpan.FromDays(30), BudgetWindow.Days30.RollingLength());
        Assert.Null(BudgetWindow.Month.RollingLength());
        Assert.Null(BudgetWindow.Total.RollingLength());
    }

    [Theory]
    [InlineData("", true, null)]
    [InlineData("?window=24h", true, BudgetWindow.Day24h)]
    [InlineData("?x=1&window=month&y=2", true, BudgetWindow.Month)]
    [InlineData("?window=total", true, BudgetWindow.Total)]
    [InlineData("?window=1y", false, null)]
    [InlineData("?window=", false, null)]
    public void Costs_api_window_query(string query, bool ok, BudgetWindow? expected)
    {
        Assert.Equal(ok, CostsApiWriter.TryParseWindow(query, out var window));
        Assert.Equal(expected, window);
    }
}
