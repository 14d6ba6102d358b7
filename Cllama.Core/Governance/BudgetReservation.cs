namespace Cllama.Governance;

/// <summary>
/// A request's worst-case cost, held against its agent's budget until disposed. Dispose only after the request's
/// real cost is in the ledger: for that moment both are counted (safe), never neither (an overshoot).
/// </summary>
public sealed class BudgetReservation : IDisposable
{
    readonly BudgetGate.AgentState _state;
    int _released;

    internal BudgetReservation(BudgetGate.AgentState state, decimal amountUsd)
    {
        _state = state;
        AmountUsd = amountUsd;
    }

    public decimal AmountUsd { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
            _state.Release(AmountUsd);
    }
}
