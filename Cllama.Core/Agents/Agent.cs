namespace Cllama.Agents;

/// <summary>An agent known from <c>CLAW_CONTEXT_ROOT/{Id}/metadata.json</c>. Its token is held by the registry only.</summary>
public sealed record Agent(string Id, string Pod, string Service, string Type, AgentPolicy Policy);
