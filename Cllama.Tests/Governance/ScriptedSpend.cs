using Cllama.Governance;
using Cllama.Ledger;

namespace Cllama.Tests.Governance;

/// <summary>
/// A spend source with a rolling 24-hour window (and total), fed costs at given times: enough of a ledger to put
/// the gate at a window's edge with a manual clock.
/// </summary>
public sealed class ScriptedSpend : ISpendSource
{
    static readonly TimeSpan Day = TimeSpan.FromHours(24);
    readonly List<(string Agent, DateTimeOffset At, decimal Usd)> _entries = [];

    public void Add(string agent, DateTimeOffset at, decimal usd)
    {
        lock (_entries)
            _entries.Add((agent, at, usd));
    }

    public decimal SpentUsd(string agentId, BudgetWindow window, DateTimeOffset now)
    {
        lock (_entries)
            return InWindow(agentId, window, now).Sum(e => e.Usd);
    }

    public DateTimeOffset? ResetsAt(string agentId, BudgetWindow window, DateTimeOffset now)
    {
        if (window != BudgetWindow.Day24h)
            return null;
        lock (_entries)
        {
            var live = InWindow(agentId, window, now).ToList();
            return live.Count == 0 ? null : live.Min(e => e.At) + Day;
        }
    }

    IEnumerable<(string Agent, DateTimeOffset At, decimal Usd)> InWindow(string agentId, BudgetWindow window, DateTimeOffset now) =>
        _entries.Where(e => e.Agent == agentId && (window != BudgetWindow.Day24h || e.At > now - Day));
}
