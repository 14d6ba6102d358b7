using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Cllama.Config;

namespace Cllama.Agents;

/// <summary>
/// Parses one agent's metadata.json. A file that fails here defines no agent: a typo in a budget must not
/// leave an agent running ungoverned, so a bad policy field rejects the whole file.
/// </summary>
internal static class AgentMetadata
{
    /// <summary>Real metadata is a few hundred bytes; the cap keeps a stray huge file from being read each change.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static bool TryParse(string id, byte[] json, [NotNullWhen(true)] out Agent? agent,
        [NotNullWhen(true)] out Secret? secret, [NotNullWhen(false)] out string? error)
    {
        agent = null;
        secret = null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Fail("not a JSON object", out error);
            if (!TryToken(id, root, out secret, out error)
                || !TryText(root, "pod", out string pod, out error)
                || !TryText(root, "service", out string service, out error)
                || !TryText(root, "type", out string type, out error)
                || !TryModels(root, out var models, out error)
                || !TryBudget(root, out var budget, out error))
                return false;
            var policy = models is null && budget is null ? AgentPolicy.None : new AgentPolicy(models, budget);
            agent = new Agent(id, pod, service, type, policy);
            return true;
        }
        catch (JsonException e)
        {
            return Fail($"not valid JSON ({e.Message})", out error);
        }
    }

    /// <summary>The stored token is "&lt;id&gt;:&lt;secret&gt;" for this very agent, or a bare secret.</summary>
    static bool TryToken(string id, JsonElement root, [NotNullWhen(true)] out Secret? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        if (!root.TryGetProperty("token", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() is not { Length: > 0 } token)
            return Fail("no non-empty string \"token\"", out error);
        int colon = token.IndexOf(':');
        if (colon < 0)
        {
            secret = new Secret(token);
        }
        else
        {
            if (!token.AsSpan(0, colon).SequenceEqual(id))
                return Fail($"\"token\" is prefixed with an id other than '{id}'", out error);
            if (colon == token.Length - 1)
                return Fail("\"token\" has an empty secret after the id", out error);
            secret = new Secret(token[(colon + 1)..]);
        }
        error = null;
        return true;
    }

    static bool TryText(JsonElement root, string name, out string value, [NotNullWhen(false)] out string? error)
    {
        value = "";
        error = null;
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
            return true;
        if (e.ValueKind != JsonValueKind.String)
            return Fail($"\"{name}\" is not a string", out error);
        value = e.GetString()!;
        return true;
    }

    static bool TryModels(JsonElement root, out IReadOnlyList<string>? models, [NotNullWhen(false)] out string? error)
    {
        models = null;
        error = null;
        if (!root.TryGetProperty("models", out var e) || e.ValueKind == JsonValueKind.Null)
            return true;
        if (e.ValueKind != JsonValueKind.Array)
            return Fail("\"models\" is not an array", out error);
        var list = new List<string>();
        foreach (var m in e.EnumerateArray())
        {
            if (m.ValueKind != JsonValueKind.String || m.GetString() is not { Length: > 0 } s)
                return Fail("\"models\" holds something other than non-empty strings", out error);
            list.Add(s);
        }
        models = list;
        return true;
    }

    static bool TryBudget(JsonElement root, out BudgetSpec? budget, [NotNullWhen(false)] out string? error)
    {
        budget = null;
        error = null;
        if (!root.TryGetProperty("budget", out var e) || e.ValueKind == JsonValueKind.Null)
            return true;
        return BudgetSpec.TryParse(e, out budget, out error);
    }

    static bool Fail(string problem, out string error)
    {
        error = problem;
        return false;
    }
}
