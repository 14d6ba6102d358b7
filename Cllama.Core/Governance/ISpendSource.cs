using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>What an agent has spent, as recorded: the cost ledger in the daemon, a scripted source in tests.</summary>
public interface ISpendSource
{
    /// <summary>Recorded spend of <paramref name="agentId"/> within <paramref name="window"/> as of <paramref name="now"/>.</summary>
    decimal SpentUsd(string agentId, BudgetWindow window, DateTimeOffset now);

    /// <summary>When that spend next goes down; null for <c>total</c>, or when nothing in the window will expire.</summary>
    DateTimeOffset? ResetsAt(string agentId, BudgetWindow window, DateTimeOffset now);
}
