namespace Cllama.Governance;

/// <summary>
/// What governance decided for one request's budget: a reservation to hold until its cost is recorded (null when
/// the agent has no budget or the request costs nothing), an output cap to add to the body, or a refusal.
/// </summary>
public readonly record struct BudgetTicket(BudgetReservation? Reservation, long? SetMaxTokens, string? MaxTokensKey, Refusal? Refusal)
{
    public static BudgetTicket Unmetered => default;

    /// <summary>The request log's <c>intervention</c> when the proxy added an output cap.</summary>
    public string? Intervention => SetMaxTokens is null ? null : "max_tokens_clamped";
}
