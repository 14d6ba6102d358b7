using System.Buffers;
using System.Text.Json;
using Cllama.Agents;
using Cllama.Ledger;

namespace Cllama.Dashboard;

/// <summary>
/// <c>GET /pod/api</c>: the pod's name, then every agent (registered, or gone but still in the ledger) with its
/// requests, cost and the models it used. The name is <c>CLAW_POD</c>, else the pod the agents declare.
/// </summary>
public static class PodApi
{
    public static byte[] Write(string configuredPod, IReadOnlyList<Agent> agents, CostSnapshot costs)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("pod", PodName(configuredPod, agents));
            w.WriteNumber("total_requests", costs.TotalRequests);
            w.WriteNumber("total_cost_usd", costs.TotalCostUsd);
            w.WriteNumber("unpriced_requests", costs.UnpricedRequests);
            w.WriteStartArray("agents");
            var registered = agents.ToDictionary(a => a.Id, StringComparer.Ordinal);
            foreach (var id in registered.Keys.Union(costs.Agents.Keys).Order(StringComparer.Ordinal))
                WriteAgent(w, id, registered.GetValueOrDefault(id), costs.Agents.GetValueOrDefault(id));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    static void WriteAgent(Utf8JsonWriter w, string id, Agent? agent, AgentCost? cost)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", agent?.Type ?? "");
        w.WriteString("service", agent?.Service ?? "");
        w.WriteString("pod", agent?.Pod ?? "");
        w.WriteBoolean("registered", agent is not null);
        w.WriteNumber("requests", cost?.TotalRequests ?? 0);
        w.WriteNumber("cost_usd", cost?.TotalCostUsd ?? 0m);
        w.WriteNumber("unpriced_requests", cost?.UnpricedRequests ?? 0);
        w.WriteStartArray("models");
        foreach (var model in (cost?.Models ?? []).Select(m => $"{m.Provider}/{m.Model}").Distinct())
            w.WriteStringValue(model);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Agents of one pod name it; agents of several are listed, so a mixed context root is visible.</summary>
    static string PodName(string configured, IReadOnlyList<Agent> agents) =>
        configured.Length > 0 ? configured
            : string.Join(", ", agents.Select(a => a.Pod).Where(p => p.Length > 0).Distinct().Order(StringComparer.Ordinal));
}
