using Cllama.Agents;

namespace Cllama.Governance;

/// <summary>
/// One source of policy: an agent's metadata.json, or policy.json's <c>defaults</c> or <c>agents.X</c>. A field is
/// either not set here (<c>Has…</c> false: the next source decides) or set, possibly to null, which means "none":
/// <c>"budget": null</c> lifts a cap set below it, <c>"models": null</c> allows every model.
/// </summary>
internal sealed record PolicyLayer(bool HasModels, IReadOnlyList<string>? Models, bool HasBudget, BudgetSpec? Budget)
{
    public static readonly PolicyLayer Empty = new(false, null, false, null);

    /// <summary>metadata.json cannot say "none" (its null means unset), and nothing lies below it anyway.</summary>
    public static PolicyLayer FromMetadata(AgentPolicy policy) =>
        new(policy.Models is not null, policy.Models, policy.Budget is not null, policy.Budget);
}
