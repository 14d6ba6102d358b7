using System.Text;
using System.Text.Json;
using Cllama.Config;
using Cllama.Dashboard;
using Cllama.Providers;

namespace Cllama.Tests.Dashboard;

public class ProviderJsonTests
{
    static (ProviderUpdate? Update, string? Error) Read(string json, string name = "acme")
    {
        bool ok = ProviderJson.TryReadUpdate(Encoding.UTF8.GetBytes(json), name, out var update, out var error);
        Assert.Equal(ok, update is not null);
        return (update, error);
    }

    [Fact]
    public void All_four_fields_are_read()
    {
        var (u, _) = Read("""{"base_url":"https://a.example/v1","api_key":"sk-1","auth":"x-api-key","api_format":"anthropic"}""");
        Assert.Equal(new ProviderUpdate("https://a.example/v1", "sk-1", "x-api-key", "anthropic"), u);
    }

    [Fact]
    public void Omitted_and_null_fields_mean_keep()
    {
        var (u, _) = Read("""{"base_url":null}""");
        Assert.Equal(new ProviderUpdate(null, null, null, null), u);
    }

    [Fact]
    public void A_matching_name_is_accepted() => Assert.NotNull(Read("""{"name":"acme","auth":"none"}""").Update);

    [Theory]
    [InlineData("""{"name":"other"}""", "does not match")]
    [InlineData("""{"base_url":"x","apikey":"sk"}""", "unknown field 'apikey'")]
    [InlineData("""{"api_key":42}""", "'api_key' must be a string")]
    [InlineData("""{"auth":{"x":1}}""", "'auth' must be a string")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    [InlineData("""{"auth":"none"} {}""", "not valid JSON")]
    [InlineData("""{"auth":"none",}""", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public void Bad_bodies_are_refused_with_the_reason(string json, string reason) =>
        Assert.Contains(reason, Read(json).Error);

    [Fact]
    public void A_parse_error_never_echoes_the_body()
    {
        var (_, error) = Read("""{"api_key":"sk-secret-value-123456789""");
        Assert.DoesNotContain("sk-secret", error);
    }

    [Fact]
    public void Written_providers_carry_only_the_masked_key_and_its_source()
    {
        var p = new Provider("acme", "https://a.example/v1", new Secret("sk-live-0123456789abcdWXYZ"), ProviderAuth.XApiKey,
            ApiFormat.Anthropic, KeySource.Environment);
        string json = Encoding.UTF8.GetString(ProviderJson.WriteList([p, p with { Name = "local", ApiKey = null, KeySource = KeySource.None }]));
        Assert.DoesNotContain("0123456789", json);
        using var doc = JsonDocument.Parse(json);
        var first = doc.RootElement.GetProperty("providers")[0];
        Assert.Equal("…WXYZ", first.GetProperty("api_key").GetString());
        Assert.Equal("environment", first.GetProperty("key_source").GetString());
        Assert.Equal("x-api-key", first.GetProperty("auth").GetString());
        Assert.Equal("anthropic", first.GetProperty("api_format").GetString());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("providers")[1].GetProperty("api_key").ValueKind);
    }
}
