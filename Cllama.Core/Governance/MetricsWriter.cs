using System.Globalization;
using System.Text;
using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>
/// Writes <see cref="ProxyMetrics"/> in the Prometheus text exposition format, version 0.0.4 (CONTRACT §10), plus
/// <c>cllama_budget_remaining_usd</c> for every agent with a budget.
/// </summary>
public static class MetricsWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static byte[] Write(ProxyMetrics metrics, IEnumerable<(string Agent, BudgetStatus Status)> budgets)
    {
        var series = metrics.Snapshot();
        var sb = new StringBuilder(4096);

        Family(sb, "cllama_requests_total", "counter", "Requests answered on the API port, by the status sent to the client.");
        foreach (var (key, s) in series)
            foreach (var (status, counter) in s.Statuses.OrderBy(kv => kv.Key))
                Sample(sb, "cllama_requests_total", key, counter.Value, extraName: "status", extraValue: status.ToString(CultureInfo.InvariantCulture));

        Family(sb, "cllama_tokens_total", "counter", "Tokens of forwarded requests: input (all, cached included), output, cached (input read from a prompt cache).");
        foreach (var (key, s) in series.Where(kv => kv.Value.Forwarded > 0))
        {
            Sample(sb, "cllama_tokens_total", key, Interlocked.Read(ref s.InputTokens), "kind", "input");
            Sample(sb, "cllama_tokens_total", key, Interlocked.Read(ref s.OutputTokens), "kind", "output");
            Sample(sb, "cllama_tokens_total", key, Interlocked.Read(ref s.CachedTokens), "kind", "cached");
        }

        Family(sb, "cllama_cost_usd_total", "counter", "Cost of forwarded requests in USD (unpriced requests add nothing).");
        foreach (var (key, s) in series.Where(kv => kv.Value.Forwarded > 0))
            Sample(sb, "cllama_cost_usd_total", key, Money.Normalize(s.Cost()).ToString(CultureInfo.InvariantCulture));

        HistogramFamily(sb, series, "cllama_request_duration_seconds", "Whole request, from its head to the end of the response.", s => s.Duration);
        HistogramFamily(sb, series, "cllama_upstream_ttfb_seconds", "From sending to a provider to its response headers.", s => s.Ttfb);
        HistogramFamily(sb, series, "cllama_overhead_seconds", "The proxy's own time before response headers went out, upstream wait excluded.", s => s.Overhead);

        Family(sb, "cllama_inflight_requests", "gauge", "Requests being served on the API port right now.");
        sb.Append("cllama_inflight_requests ").Append(metrics.InFlight.ToString(CultureInfo.InvariantCulture)).Append('\n');

        Family(sb, "cllama_budget_remaining_usd", "gauge", "What an agent with a budget can still reserve: limit less spend in the window and reservations in flight.");
        foreach (var (agent, status) in budgets.OrderBy(b => b.Agent, StringComparer.Ordinal))
        {
            sb.Append("cllama_budget_remaining_usd{agent=\"").Append(Escape(agent)).Append("\",window=\"").Append(status.Window.Format()).Append("\"} ")
                .Append(Money.Normalize(status.RemainingUsd).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    static void HistogramFamily(StringBuilder sb, IReadOnlyList<KeyValuePair<ProxyMetrics.SeriesKey, ProxyMetrics.Series>> series,
        string name, string help, Func<ProxyMetrics.Series, Histogram> pick)
    {
        Family(sb, name, "histogram", help);
        foreach (var (key, s) in series)
        {
            var h = pick(s);
            long[] cumulative = h.Cumulative();
            long count = cumulative[^1];
            if (count == 0)
                continue;
            for (int i = 0; i < h.BoundsSeconds.Length; i++)
                Sample(sb, name + "_bucket", key, cumulative[i], "le", h.BoundsSeconds[i].ToString("R", CultureInfo.InvariantCulture));
            Sample(sb, name + "_bucket", key, count, "le", "+Inf");
            Sample(sb, name + "_sum", key, h.SumSeconds.ToString("R", CultureInfo.InvariantCulture));
            Sample(sb, name + "_count", key, count);
        }
    }

    static void Family(StringBuilder sb, string name, string type, string help) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    static void Sample(StringBuilder sb, string name, ProxyMetrics.SeriesKey key, long value, string? extraName = null, string? extraValue = null) =>
        Sample(sb, name, key, value.ToString(CultureInfo.InvariantCulture), extraName, extraValue);

    static void Sample(StringBuilder sb, string name, ProxyMetrics.SeriesKey key, string value, string? extraName = null, string? extraValue = null)
    {
        sb.Append(name).Append("{agent=\"").Append(Escape(key.Agent)).Append("\",provider=\"").Append(Escape(key.Provider))
            .Append("\",model=\"").Append(Escape(key.Model)).Append('"');
        if (extraName is not null)
            sb.Append(',').Append(extraName).Append("=\"").Append(Escape(extraValue!)).Append('"');
        sb.Append("} ").Append(value).Append('\n');
    }

    /// <summary>Label values escape backslash, double quote and line feed (the exposition format's only escapes).</summary>
    internal static string Escape(string value)
    {
        if (value.AsSpan().IndexOfAny("\\\"\n") < 0)
            return value;
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
    }
}
