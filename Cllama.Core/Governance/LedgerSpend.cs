using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>The cost ledger as the budget gate's spend source.</summary>
public sealed class LedgerSpend(CostLedger ledger) : ISpendSource
{
    public decimal SpentUsd(string agentId, BudgetWindow window, DateTimeOffset now) => ledger.SpentUsd(agentId, window, now);

    public DateTimeOffset? ResetsAt(string agentId, BudgetWindow window, DateTimeOffset now) => ledger.ResetsAt(agentId, window, now);
}
