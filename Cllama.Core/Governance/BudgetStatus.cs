using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>
/// Where an agent stands against its budget: recorded spend in the window, the worst case reserved by its requests
/// in flight, and what is left to start new ones (never negative).
/// </summary>
public sealed record BudgetStatus(decimal LimitUsd, BudgetWindow Window, decimal SpentUsd, decimal ReservedUsd, DateTimeOffset? ResetsAt)
{
    public decimal RemainingUsd => Math.Max(0m, LimitUsd - SpentUsd - ReservedUsd);
}
