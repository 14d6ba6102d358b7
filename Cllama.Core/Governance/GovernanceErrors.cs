using System.Globalization;
using System.Text.Json;
using Cllama.Ledger;
using Cllama.Proxy;

namespace Cllama.Governance;

/// <summary>
/// The refusals of CONTRACT §10. A model outside the allowlist and an unpriced model under a budget are 403
/// (<c>permission_error</c>): asking again cannot help, only the operator can. Over budget is 429 with
/// <c>x-should-retry: false</c> and a Retry-After only when there is a true time to give.
/// </summary>
public static class GovernanceErrors
{
    public static Refusal ModelNotAllowed(ModelRoute route, ModelAllowlist allowed) =>
        new(403, $"model '{route.Provider}/{route.UpstreamModel}' is not allowed for this agent; allowed models: {allowed.Describe()}",
            "permission_error", "model_not_allowed", Extra: w =>
            {
                w.WriteStartArray("allowed_models");
                foreach (string pattern in allowed.Patterns)
                    w.WriteStringValue(pattern);
                w.WriteEndArray();
            });

    public static Refusal ModelUnpriced(ModelRoute route) =>
        new(403, $"model '{route.Provider}/{route.UpstreamModel}' has no price, and this agent has a budget: an unpriced request " +
            "could cost anything, so it is refused; the operator can price it in pricing.json", "permission_error", "model_unpriced");

    public static Refusal BudgetExceeded(BudgetRefusal r)
    {
        string window = r.Window.Format();
        string message = r.NeededUsd > r.LimitUsd
            ? $"budget exceeded: this request needs ${Usd(r.NeededUsd)} reserved, more than the whole {window} budget of ${Usd(r.LimitUsd)}; lower max_tokens or shorten the input"
            : r.SpentUsd + r.NeededUsd <= r.LimitUsd
                ? $"budget exceeded for now: spent ${Usd(r.SpentUsd)} of ${Usd(r.LimitUsd)} ({window}) and requests in flight hold ${Usd(r.ReservedUsd)}; this one needs ${Usd(r.NeededUsd)} reserved"
                : $"budget exceeded: spent ${Usd(r.SpentUsd)} of ${Usd(r.LimitUsd)} ({window}); this request needs ${Usd(r.NeededUsd)} reserved"
                  + (r.ResetsAt is { } at ? $"; spend starts freeing up at {Rfc3339(at)}" : "");
        var headers = new List<KeyValuePair<string, string>>(2) { new("x-should-retry", "false") };
        if (r.RetryAfterSeconds is long seconds)
            headers.Add(new("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)));
        return new Refusal(429, message, "budget_exceeded", "budget_exceeded", headers, w =>
        {
            w.WriteNumber("limit_usd", Money.Normalize(r.LimitUsd));
            w.WriteNumber("spent_usd", Money.Normalize(r.SpentUsd));
            w.WriteNumber("reserved_usd", Money.Normalize(r.ReservedUsd));
            w.WriteNumber("needed_usd", Money.Normalize(decimal.Round(r.NeededUsd, 9)));
            w.WriteString("window", window);
            WriteTime(w, "resets_at", r.ResetsAt);
        });
    }

    internal static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? at)
    {
        if (at is { } t)
            w.WriteString(name, Rfc3339(t));
        else
            w.WriteNull(name);
    }

    internal static string Rfc3339(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    static string Usd(decimal value) => Money.Normalize(decimal.Round(value, 6)).ToString(CultureInfo.InvariantCulture);
}
