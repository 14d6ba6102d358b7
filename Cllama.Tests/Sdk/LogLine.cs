using System.Text.Json;

namespace Cllama.Tests.Sdk;

/// <summary>Assertions on one request-log line (CONTRACT §7).</summary>
public static class LogLine
{
    public static void AssertMetered(JsonElement line, string agent, string model, string provider, string upstreamModel,
        bool stream, long tokensIn, long tokensOut, decimal cost)
    {
        Assert.Equal("response", line.GetProperty("type").GetString());
        Assert.Equal(agent, line.GetProperty("claw_id").GetString());
        Assert.Equal(model, line.GetProperty("model").GetString());
        Assert.Equal(provider, line.GetProperty("provider").GetString());
        Assert.Equal(upstreamModel, line.GetProperty("upstream_model").GetString());
        Assert.Equal(stream, line.GetProperty("stream").GetBoolean());
        Assert.Equal(200, line.GetProperty("status_code").GetInt32());
        Assert.Equal(tokensIn, line.GetProperty("tokens_in").GetInt64());
        Assert.Equal(tokensOut, line.GetProperty("tokens_out").GetInt64());
        Assert.Equal(cost, line.GetProperty("cost_usd").GetDecimal());
        Assert.Equal("computed", line.GetProperty("cost_source").GetString());
        Assert.False(string.IsNullOrEmpty(line.GetProperty("request_id").GetString()));
    }
}
