using System.Buffers;
using System.Text.Json;
using Cllama.Agents;
using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>
/// <c>GET /budgets/api</c> on the dashboard port: every registered agent with a budget, its standing, and its model
/// allowlist — <c>{"agents":[{"id","limit_usd","window","spent_usd","reserved_usd","remaining_usd","resets_at",
/// "models"}]}</c>, <c>models</c> null when any model is allowed. Drawn as budget bars on the Pod and Costs pages.
/// </summary>
public static class BudgetsApi
{
    public static byte[] Write(IReadOnlyList<Agent> agents, Governor governor)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("agents");
            foreach (var agent in agents)
            {
                var policy = governor.Policy.Resolve(agent);
                if (policy.Budget is not { } budget)
                    continue;
                var s = governor.Budgets.Status(agent.Id, budget);
                w.WriteStartObject();
                w.WriteString("id", agent.Id);
                w.WriteNumber("limit_usd", Money.Normalize(s.LimitUsd));
                w.WriteString("window", s.Window.Format());
                w.WriteNumber("spent_usd", Money.Normalize(s.SpentUsd));
                w.WriteNumber("reserved_usd", Money.Normalize(s.ReservedUsd));
                w.WriteNumber("remaining_usd", Money.Normalize(s.RemainingUsd));
                GovernanceErrors.WriteTime(w, "resets_at", s.ResetsAt);
                MeEndpoint.WriteModels(w, policy.Models);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
