namespace Cllama.Agents;

/// <summary>
/// Governance fields from metadata.json (CONTRACT §10): <c>models</c> (allowed patterns such as
/// "anthropic/claude-*") and <c>budget</c>. Null means "not set here"; the operator's policy.json may still set it.
/// </summary>
public sealed record AgentPolicy(IReadOnlyList<string>? Models, BudgetSpec? Budget)
{
    public static readonly AgentPolicy None = new(null, null);
}
