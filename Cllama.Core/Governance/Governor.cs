using Cllama.Agents;
using Cllama.Costs;
using Cllama.Proxy;

namespace Cllama.Governance;

/// <summary>
/// Governance as the proxy sees it (CONTRACT §10): which models an agent may use, what it may spend, and the
/// metrics of everything that passed. One per daemon.
/// </summary>
public sealed class Governor(PolicyRegistry policy, BudgetGate budgets, ProxyMetrics metrics) : IDisposable
{
    public PolicyRegistry Policy { get; } = policy;
    public BudgetGate Budgets { get; } = budgets;
    public ProxyMetrics Metrics { get; } = metrics;

    /// <summary>Null when <paramref name="route"/> is on the allowlist (or there is none), else the 403.</summary>
    public static Refusal? CheckModel(EffectivePolicy policy, ModelRoute route) =>
        policy.Models is not { } allowed || allowed.Allows(route.Provider, route.UpstreamModel)
            ? null
            : GovernanceErrors.ModelNotAllowed(route, allowed);

    /// <summary>
    /// Reserves the request's worst case against the agent's budget, adding an output cap when the body has none
    /// and the budget cannot cover the ceiling. Free routes and free (local) models reserve nothing; an unpriced
    /// model under a budget is refused, since nothing bounds what it costs.
    /// </summary>
    public BudgetTicket Reserve(Agent agent, EffectivePolicy policy, ModelRoute route, ModelPrice? price, string path,
        ReadOnlySpan<byte> body, RequestBodyInfo info)
    {
        if (policy.Budget is not { } budget)
            return BudgetTicket.Unmetered;
        var kind = RequestShape.KindOf(path);
        if (kind == RequestKind.Free)
            return BudgetTicket.Unmetered;
        if (price is null)
            return new BudgetTicket(null, null, null, GovernanceErrors.ModelUnpriced(route));
        if (price.IsFree)
            return BudgetTicket.Unmetered;
        string? clampKey = kind == RequestKind.Generation ? RequestShape.ClampKey(path, route.Provider) : null;
        var bound = CostBound.For(price, body.Length, kind, info.MaxTokens,
            canClamp: clampKey is not null && info.MaxTokensKey is null, RequestShape.Choices(path, body));
        var decision = Budgets.TryReserve(agent.Id, budget, bound);
        if (decision.Refusal is { } refusal)
            return new BudgetTicket(null, null, null, GovernanceErrors.BudgetExceeded(refusal));
        return new BudgetTicket(decision.Reservation, decision.ClampTo, decision.ClampTo is null ? null : clampKey, null);
    }

    /// <summary>The agent's standing against its budget, or null when it has none.</summary>
    public BudgetStatus? StatusOf(Agent agent) =>
        Policy.Resolve(agent).Budget is { } budget ? Budgets.Status(agent.Id, budget) : null;

    /// <summary>The <c>GET /metrics</c> body: the counters, and the remaining budget of every agent that has one.</summary>
    public byte[] MetricsText(IEnumerable<Agent> agents) =>
        MetricsWriter.Write(Metrics, agents.Select(a => (a.Id, Status: StatusOf(a))).Where(b => b.Status is not null).Select(b => (b.Id, b.Status!)));

    public void Dispose() => Policy.Dispose();
}
