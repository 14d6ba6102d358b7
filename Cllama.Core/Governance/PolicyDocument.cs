using System.Collections.Frozen;

namespace Cllama.Governance;

/// <summary>The parsed operator policy.json: <c>defaults</c> for every agent, and entries for named agents.</summary>
internal sealed record PolicyDocument(PolicyLayer Defaults, FrozenDictionary<string, PolicyLayer> Agents)
{
    public static readonly PolicyDocument Empty = new(PolicyLayer.Empty, FrozenDictionary<string, PolicyLayer>.Empty);

    public bool IsEmpty => Defaults == PolicyLayer.Empty && Agents.Count == 0;
}
