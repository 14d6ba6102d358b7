using Cllama.Ledger;

namespace Cllama.Governance;

/// <summary>Why a request was refused for budget: the figures the 429 carries.</summary>
/// <param name="NeededUsd">The least this request could be admitted with (its input plus the smallest output it may have).</param>
public sealed record BudgetRefusal(decimal LimitUsd, BudgetWindow Window, decimal SpentUsd, decimal ReservedUsd, decimal NeededUsd,
    DateTimeOffset? ResetsAt, DateTimeOffset Now)
{
    /// <summary>
    /// Seconds until retrying could succeed. When only requests in flight stand in the way, they settle within moments
    /// (1 s). When the request could never fit the whole limit, or the window is <c>total</c> and never frees up,
    /// there is no such time: null, and the 429 carries no Retry-After rather than an invented one.
    /// </summary>
    public long? RetryAfterSeconds
    {
        get
        {
            if (NeededUsd > LimitUsd)
                return null;
            if (SpentUsd + NeededUsd <= LimitUsd)
                return 1;
            if (ResetsAt is not { } resets)
                return null;
            return Math.Max(1, (long)Math.Ceiling((resets - Now).TotalSeconds));
        }
    }
}
