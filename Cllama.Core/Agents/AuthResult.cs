using System.Diagnostics.CodeAnalysis;

namespace Cllama.Agents;

/// <summary>
/// The outcome of <see cref="AgentRegistry.Authenticate"/>. Every failure is the same value on purpose: the caller
/// answers one identical 401 and has nothing to tell apart.
/// </summary>
public readonly record struct AuthResult(Agent? Agent)
{
    public static AuthResult Failed => default;

    [MemberNotNullWhen(true, nameof(Agent))]
    public bool Succeeded => Agent is not null;
}
