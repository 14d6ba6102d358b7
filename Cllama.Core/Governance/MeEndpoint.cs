using System.Buffers;
using System.Text.Json;
using Cllama.Agents;
using Cllama.Http;
using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>
/// <c>GET /v1/me</c> on the API port: an agent reads its own policy and standing with its own token —
/// <c>{"agent","budget":{"limit_usd","window","spent_usd","reserved_usd","remaining_usd","resets_at"},"models"}</c>.
/// <c>budget</c> is null without a cap and <c>models</c> null when every model is allowed. <c>remaining_usd</c>
/// is what new requests can still reserve: the limit less recorded spend and the reservations of requests in flight.
/// </summary>
public static class MeEndpoint
{
    public const string Path = "/v1/me";

    public static void Handle(HttpContext ctx, AgentRegistry agents, Governor governor)
    {
        if (ctx.Request.Method is not ("GET" or "HEAD"))
        {
            Routes.MethodNotAllowed(ctx.Response, "GET, HEAD");
            return;
        }
        // The same 401 as the proxy's, so this route tells a prober nothing more about which agents exist.
        var agent = agents.Authenticate(ctx.Request.Headers.Get(KnownHeaders.Authorization), ctx.Request.Headers.Get(KnownHeaders.XApiKey)).Agent;
        if (agent is null)
        {
            JsonErrors.Send(ctx.Response, 401, ErrorDialect.OpenAI, "invalid or missing agent credential", "authentication_error", "invalid_api_key");
            return;
        }
        var policy = governor.Policy.Resolve(agent);
        var status = policy.Budget is { } budget ? governor.Budgets.Status(agent.Id, budget) : null;
        ctx.Response.Send(200, "application/json", Write(agent.Id, policy, status), [new("Cache-Control", "no-store")]);
    }

    internal static byte[] Write(string agentId, EffectivePolicy policy, BudgetStatus? status)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("agent", agentId);
            if (status is null)
            {
                w.WriteNull("budget");
            }
            else
            {
                w.WriteStartObject("budget");
                w.WriteNumber("limit_usd", Money.Normalize(status.LimitUsd));
                w.WriteString("window", status.Window.Format());
                w.WriteNumber("spent_usd", Money.Normalize(status.SpentUsd));
                w.WriteNumber("reserved_usd", Money.Normalize(status.ReservedUsd));
                w.WriteNumber("remaining_usd", Money.Normalize(status.RemainingUsd));
                GovernanceErrors.WriteTime(w, "resets_at", status.ResetsAt);
                w.WriteEndObject();
            }
            WriteModels(w, policy.Models);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>"models"</c>: the allowlist's patterns, or null when any model is allowed.</summary>
    internal static void WriteModels(Utf8JsonWriter w, ModelAllowlist? models)
    {
        if (models is null)
        {
            w.WriteNull("models");
            return;
        }
        w.WriteStartArray("models");
        foreach (string pattern in models.Patterns)
            w.WriteStringValue(pattern);
        w.WriteEndArray();
    }
}
