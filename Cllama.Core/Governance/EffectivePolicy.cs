namespace Cllama.Governance;

/// <summary>
/// The policy in force for one agent after every source is merged (see <see cref="PolicyRegistry"/>):
/// a null <see cref="Models"/> allows any model, a null <see cref="Budget"/> means no cap.
/// </summary>
public sealed record EffectivePolicy(ModelAllowlist? Models, AgentBudget? Budget)
{
    public static readonly EffectivePolicy None = new(null, null);
}
