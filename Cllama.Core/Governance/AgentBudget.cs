using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>An agent's spending cap in force: at most <see cref="LimitUsd"/> within <see cref="Window"/>.</summary>
public sealed record AgentBudget(decimal LimitUsd, BudgetWindow Window);
