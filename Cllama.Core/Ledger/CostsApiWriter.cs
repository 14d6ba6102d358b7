using System.Buffers;
using System.Text.Json;

namespace Cllama.Ledger;

/// <summary>The <c>GET /costs/api</c> body (CONTRACT §6): a superset of the seed's shape, money as JSON numbers.</summary>
public static class CostsApiWriter
{
    /// <summary>Reads <c>?window=24h|7d|30d|month|total</c> from a query string (leading <c>?</c> included); absent is all time.</summary>
    public static bool TryParseWindow(string query, out BudgetWindow? window)
    {
        window = null;
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            if (!pair.StartsWith("window=", StringComparison.Ordinal))
                continue;
            if (!BudgetWindows.TryParse(Uri.UnescapeDataString(pair["window=".Length..]), out var parsed))
                return false;
            window = parsed;
        }
        return true;
    }

    /// <param name="window">The window the snapshot covers, echoed as <c>"window"</c>; null is all time ("total").</param>
    public static byte[] Write(CostSnapshot s, BudgetWindow? window = null)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("window", (window ?? BudgetWindow.Total).Format());
            w.WriteNumber("total_cost_usd", Money.Normalize(s.TotalCostUsd));
            w.WriteNumber("total_requests", s.TotalRequests);
            w.WriteNumber("unpriced_requests", s.UnpricedRequests);
            w.WriteStartObject("agents");
            foreach (var (id, a) in s.Agents)
            {
                w.WriteStartObject(id);
                w.WriteNumber("total_cost_usd", Money.Normalize(a.TotalCostUsd));
                w.WriteNumber("total_requests", a.TotalRequests);
                w.WriteNumber("unpriced_requests", a.UnpricedRequests);
                w.WriteStartArray("models");
                foreach (var m in a.Models)
                {
                    w.WriteStartObject();
                    w.WriteString("provider", m.Provider);
                    w.WriteString("model", m.Model);
                    w.WriteNumber("input_tokens", m.InputTokens);
                    w.WriteNumber("output_tokens", m.OutputTokens);
                    w.WriteNumber("cached_tokens", m.CachedTokens);
                    w.WriteNumber("cost_usd", Money.Normalize(m.CostUsd));
                    w.WriteNumber("requests", m.Requests);
                    w.WriteNumber("unpriced_requests", m.UnpricedRequests);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
