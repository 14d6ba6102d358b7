using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>The cost ledger as a spend source for the budget gate.</summary>
public sealed class LedgerSpend(CostLedger ledger) : ISpendSource
{
    // Until the windowed ledger is merged: all-time spend stands in for every window (never less than the window's).
    public decimal SpentUsd(string agentId, BudgetWindow window, DateTimeOffset now) =>
        ledger.Snapshot().Agents.TryGetValue(agentId, out var a) ? a.TotalCostUsd : 0m;

    public DateTimeOffset? ResetsAt(string agentId, BudgetWindow window, DateTimeOffset now) => null;
}
