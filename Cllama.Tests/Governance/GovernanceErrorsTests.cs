using System.Text.Json;
using Cllama.Governance;
using Cllama.Http;
using Cllama.Ledger;

namespace Cllama.Tests.Governance;

public class GovernanceErrorsTests
{
    static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    static JsonElement Body(Refusal refusal, ErrorDialect dialect)
    {
        using var doc = JsonDocument.Parse(JsonErrors.Build(dialect, refusal.Message, refusal.Type, refusal.Code, refusal.Extra));
        return doc.RootElement.Clone();
    }

    static string? Header(Refusal refusal, string name) => refusal.Headers?.FirstOrDefault(h => h.Key == name).Value;

    [Fact]
    public void Over_budget_carries_the_figures_in_both_dialects()
    {
        var refusal = GovernanceErrors.BudgetExceeded(new BudgetRefusal(5m, BudgetWindow.Day24h, 4.9m, 0m, 0.25m, Now.AddMinutes(90), Now));
        Assert.Equal(429, refusal.Status);
        Assert.Equal("false", Header(refusal, "x-should-retry"));
        Assert.Equal("5400", Header(refusal, "Retry-After"));

        var openai = Body(refusal, ErrorDialect.OpenAI).GetProperty("error");
        var anthropic = Body(refusal, ErrorDialect.Anthropic);
        Assert.Equal("error", anthropic.GetProperty("type").GetString());
        foreach (var error in new[] { openai, anthropic.GetProperty("error") })
        {
            Assert.Equal("budget_exceeded", error.GetProperty("type").GetString());
            Assert.Equal("budget_exceeded", error.GetProperty("code").GetString());
            Assert.Equal(5m, error.GetProperty("limit_usd").GetDecimal());
            Assert.Equal(4.9m, error.GetProperty("spent_usd").GetDecimal());
            Assert.Equal(0.25m, error.GetProperty("needed_usd").GetDecimal());
            Assert.Equal("24h", error.GetProperty("window").GetString());
            Assert.Equal("2026-03-10T13:30:00Z", error.GetProperty("resets_at").GetString());
            Assert.Equal("budget exceeded: spent $4.9 of $5 (24h); this request needs $0.25 reserved; spend starts freeing up at 2026-03-10T13:30:00Z",
                error.GetProperty("message").GetString());
        }
    }

    [Fact]
    public void Requests_in_flight_in_the_way_say_so_and_retry_in_a_second()
    {
        var refusal = GovernanceErrors.BudgetExceeded(new BudgetRefusal(5m, BudgetWindow.Total, 1m, 3.9m, 0.25m, null, Now));
        Assert.Equal("1", Header(refusal, "Retry-After"));
        Assert.Contains("requests in flight hold $3.9", refusal.Message);
        Assert.Equal(3.9m, Body(refusal, ErrorDialect.OpenAI).GetProperty("error").GetProperty("reserved_usd").GetDecimal());
    }

    [Fact]
    public void A_request_dearer_than_the_limit_is_told_to_shrink_with_no_retry_time()
    {
        var refusal = GovernanceErrors.BudgetExceeded(new BudgetRefusal(0.1m, BudgetWindow.Month, 0m, 0m, 0.25m, null, Now));
        Assert.Null(Header(refusal, "Retry-After"));
        Assert.Contains("more than the whole month budget of $0.1; lower max_tokens", refusal.Message);
        Assert.Equal(JsonValueKind.Null, Body(refusal, ErrorDialect.Anthropic).GetProperty("error").GetProperty("resets_at").ValueKind);
    }
}
