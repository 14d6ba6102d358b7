using System.Text.Json;

namespace Cllama.Tests.Sdk;

/// <summary>Reads the <c>/costs/api</c> body (CONTRACT §6) for assertions.</summary>
public sealed class CostsView
{
    readonly JsonElement _root;

    public CostsView(string json)
    {
        using var doc = JsonDocument.Parse(json);
        _root = doc.RootElement.Clone();
    }

    public long TotalRequests => _root.GetProperty("total_requests").GetInt64();
    public decimal TotalCostUsd => _root.GetProperty("total_cost_usd").GetDecimal();
    public IEnumerable<string> Agents => _root.GetProperty("agents").EnumerateObject().Select(p => p.Name);

    public JsonElement Agent(string agent) => _root.GetProperty("agents").GetProperty(agent);

    /// <summary>The one entry for <paramref name="provider"/>/<paramref name="model"/> under <paramref name="agent"/>.</summary>
    public JsonElement Model(string agent, string provider, string model) =>
        Assert.Single(Agent(agent).GetProperty("models").EnumerateArray(),
            m => m.GetProperty("provider").GetString() == provider && m.GetProperty("model").GetString() == model);

    /// <summary>Asserts the tokens, request count and cost recorded for one agent and model.</summary>
    public void AssertModel(string agent, string provider, string model, long input, long output, long requests, decimal cost)
    {
        var m = Model(agent, provider, model);
        Assert.Equal(input, m.GetProperty("input_tokens").GetInt64());
        Assert.Equal(output, m.GetProperty("output_tokens").GetInt64());
        Assert.Equal(requests, m.GetProperty("requests").GetInt64());
        Assert.Equal(cost, m.GetProperty("cost_usd").GetDecimal());
    }
}
