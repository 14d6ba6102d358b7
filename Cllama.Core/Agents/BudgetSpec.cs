using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Cllama.Agents;

/// <summary>A spending cap: <c>{"limit_usd": 5.0, "window": "24h"}</c>.</summary>
public sealed record BudgetSpec(decimal LimitUsd, string Window)
{
    /// <summary>The windows CONTRACT §10 names.</summary>
    public static readonly IReadOnlyList<string> Windows = ["24h", "7d", "30d", "month", "total"];

    public static bool IsValidWindow(string window) => Windows.Contains(window);

    /// <summary>Parses a <c>budget</c> object; shared by metadata.json and the operator's policy.json.</summary>
    public static bool TryParse(JsonElement e, [NotNullWhen(true)] out BudgetSpec? budget, [NotNullWhen(false)] out string? error)
    {
        budget = null;
        if (e.ValueKind != JsonValueKind.Object)
            return Fail("\"budget\" is not an object", out error);
        if (!e.TryGetProperty("limit_usd", out var l) || l.ValueKind != JsonValueKind.Number
            || !l.TryGetDecimal(out decimal limit) || limit < 0)
            return Fail("\"budget.limit_usd\" is not a non-negative number", out error);
        if (!e.TryGetProperty("window", out var w) || w.ValueKind != JsonValueKind.String || !IsValidWindow(w.GetString()!))
            return Fail($"\"budget.window\" is not one of {string.Join(", ", Windows)}", out error);
        budget = new BudgetSpec(limit, w.GetString()!);
        error = null;
        return true;
    }

    static bool Fail(string problem, out string error)
    {
        error = problem;
        return false;
    }
}
