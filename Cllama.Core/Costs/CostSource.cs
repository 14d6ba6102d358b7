namespace Cllama.Costs;

/// <summary>Where a request's cost came from (ledger <c>cost_source</c>: reported, computed, estimated, unknown).</summary>
public enum CostSource
{
    /// <summary>The provider stated the cost (OpenRouter <c>usage.cost</c>).</summary>
    Reported,
    /// <summary>Usage × the price table.</summary>
    Computed,
    /// <summary>Usage × the price table, but the response was cut short, so the usage may be incomplete.</summary>
    Estimated,
    /// <summary>No price for the model, or no usage to price: the cost is null, never zero.</summary>
    Unknown,
}
