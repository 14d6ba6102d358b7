using System.Collections.Frozen;
using System.Text.Json;
using Cllama.Agents;

namespace Cllama.Governance;

/// <summary>
/// Reads the operator's <c>CLAW_AUTH_DIR/policy.json</c>:
/// <c>{"defaults":{"budget":{"limit_usd":5,"window":"24h"},"models":["openai/*"]},"agents":{"tiverton":{…}}}</c>.
/// Every key is checked: a misspelt <c>"budgt"</c> or <c>"agent"</c> would otherwise leave agents silently
/// uncapped, so unknown keys, duplicate keys and malformed values are errors that name where they are.
/// </summary>
internal static class PolicyFile
{
    static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <exception cref="FormatException">The file is not a valid policy; the message says where.</exception>
    public static PolicyDocument Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"invalid JSON: {e.Message}", e);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new FormatException("expected a JSON object with \"defaults\" and/or \"agents\"");
            var defaults = PolicyLayer.Empty;
            var agents = new Dictionary<string, PolicyLayer>(StringComparer.Ordinal);
            foreach (var (name, value) in Members(root, ""))
            {
                switch (name)
                {
                    case "defaults":
                        defaults = Layer(value, "defaults");
                        break;
                    case "agents":
                        if (value.ValueKind != JsonValueKind.Object)
                            throw new FormatException("\"agents\" must be an object of agent id: policy");
                        foreach (var (id, entry) in Members(value, "agents."))
                        {
                            if (!AgentId.IsValid(id))
                                throw new FormatException($"agents: \"{id}\" is not a valid agent id");
                            agents[id] = Layer(entry, $"agents.{id}");
                        }
                        break;
                    default:
                        throw new FormatException($"unknown key \"{name}\" (expected \"defaults\" or \"agents\")");
                }
            }
            return new PolicyDocument(defaults, agents.ToFrozenDictionary(StringComparer.Ordinal));
        }
    }

    static PolicyLayer Layer(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{where}: expected an object with \"budget\" and/or \"models\"");
        var layer = PolicyLayer.Empty;
        foreach (var (name, value) in Members(e, where + "."))
        {
            switch (name)
            {
                case "budget":
                    BudgetSpec? budget = null;
                    if (value.ValueKind != JsonValueKind.Null && !BudgetSpec.TryParse(value, out budget, out string? problem))
                        throw new FormatException($"{where}: {problem}");
                    layer = layer with { HasBudget = true, Budget = budget };
                    break;
                case "models":
                    layer = layer with { HasModels = true, Models = value.ValueKind == JsonValueKind.Null ? null : Models(value, where) };
                    break;
                default:
                    throw new FormatException($"{where}: unknown key \"{name}\" (expected \"budget\" or \"models\")");
            }
        }
        return layer;
    }

    static List<string> Models(JsonElement e, string where)
    {
        if (e.ValueKind != JsonValueKind.Array)
            throw new FormatException($"{where}.models: expected an array of \"provider/model\" patterns");
        var list = new List<string>();
        foreach (var m in e.EnumerateArray())
        {
            if (m.ValueKind != JsonValueKind.String || m.GetString() is not { Length: > 0 } pattern)
                throw new FormatException($"{where}.models: expected non-empty strings");
            if (!ModelGlob.IsWellFormed(pattern))
                throw new FormatException($"{where}.models: \"{pattern}\" has no provider; write provider/model, e.g. openai/gpt-4o-mini or anthropic/claude-*");
            list.Add(pattern);
        }
        return list;
    }

    /// <summary>An object's members, refusing a key that appears twice (which one would win is anyone's guess).</summary>
    static IEnumerable<(string Name, JsonElement Value)> Members(JsonElement obj, string where)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (!seen.Add(p.Name))
                throw new FormatException($"{where}\"{p.Name}\" appears twice");
            yield return (p.Name, p.Value);
        }
    }
}
