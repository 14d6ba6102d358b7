using System.Collections.Concurrent;

namespace Cllama.Governance;

/// <summary>
/// Admits requests against budgets without ever letting recorded spend pass a limit, however many run at once.
/// Per agent, check and reserve happen under one lock: recorded spend (read inside the lock) plus what the agent's
/// requests in flight have reserved, plus this request's worst case, must fit the limit. A reservation is released
/// only after the request's real cost is in the ledger, so at every instant a request is counted at least once.
/// Different agents never contend.
/// </summary>
public sealed class BudgetGate(ISpendSource spend, TimeProvider? clock = null)
{
    readonly ConcurrentDictionary<string, AgentState> _agents = new(StringComparer.Ordinal);
    readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public TimeProvider Clock => _clock;

    /// <summary>
    /// Reserves <paramref name="bound"/>'s worst case (or a clamped one) for <paramref name="agentId"/>, or says why not.
    /// On success the caller must dispose the reservation once the request's cost is recorded.
    /// </summary>
    public BudgetDecision TryReserve(string agentId, AgentBudget budget, CostBound bound)
    {
        var state = _agents.GetOrAdd(agentId, static _ => new AgentState());
        var now = _clock.GetUtcNow();
        decimal spent, reserved;
        lock (state)
        {
            spent = spend.SpentUsd(agentId, budget.Window, now);
            reserved = state.ReservedUsd;
            if (bound.TryFit(budget.LimitUsd - spent - reserved, out decimal worst, out long? clampTo))
            {
                state.ReservedUsd += worst;
                state.InFlight++;
                return new BudgetDecision(new BudgetReservation(state, worst), clampTo, null);
            }
        }
        var refusal = new BudgetRefusal(budget.LimitUsd, budget.Window, spent, reserved, bound.LeastUsd,
            spend.ResetsAt(agentId, budget.Window, now), now);
        return new BudgetDecision(null, null, refusal);
    }

    /// <summary>The agent's standing now: for <c>/v1/me</c>, the dashboard and <c>cllama_budget_remaining_usd</c>.</summary>
    public BudgetStatus Status(string agentId, AgentBudget budget)
    {
        var now = _clock.GetUtcNow();
        decimal spent, reserved = 0;
        if (_agents.TryGetValue(agentId, out var state))
        {
            lock (state)
            {
                spent = spend.SpentUsd(agentId, budget.Window, now);
                reserved = state.ReservedUsd;
            }
        }
        else
        {
            spent = spend.SpentUsd(agentId, budget.Window, now);
        }
        return new BudgetStatus(budget.LimitUsd, budget.Window, spent, reserved, spend.ResetsAt(agentId, budget.Window, now));
    }

    /// <summary>Requests of <paramref name="agentId"/> holding a reservation right now.</summary>
    public int InFlight(string agentId) => _agents.TryGetValue(agentId, out var state) ? Volatile.Read(ref state.InFlight) : 0;

    internal sealed class AgentState
    {
        public decimal ReservedUsd;
        public int InFlight;

        public void Release(decimal amountUsd)
        {
            lock (this)
            {
                ReservedUsd -= amountUsd;
                InFlight--;
            }
        }
    }
}

/// <summary>The gate's answer: a reservation (with the output cap to add, if any), or a refusal.</summary>
public readonly record struct BudgetDecision(BudgetReservation? Reservation, long? ClampTo, BudgetRefusal? Refusal);
