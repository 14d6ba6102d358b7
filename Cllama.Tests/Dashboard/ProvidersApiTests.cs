using System.Net;
using System.Text.Json;
using Cllama.Config;
using Cllama.Tests.Support;

namespace Cllama.Tests.Dashboard;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ProvidersApiTests
{
    const string Key = "sk-acme-live-9f8e7d6c5b4a3210ZYXW";
    static readonly DashAuth Bearer = new(Bearer: ProxyFixture.DashboardToken);

    static string ProvidersFile(ProxyFixture f) => Path.Combine(f.AuthDir, "providers.json");

    static JsonElement Provider(Reply reply, string name) =>
        JsonDocument.Parse(reply.Body).RootElement.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Put_creates_a_provider_answers_it_masked_and_saves_it_0600_atomically()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        // A reader holding the old file keeps seeing the old, whole file: the save renamed a new file over it.
        await using var oldFile = File.OpenRead(ProvidersFile(f));

        var reply = await client.SendAsync("PUT", "/providers/api/acme", Bearer,
            DashboardClient.Json($$"""{"base_url":"https://acme.example/v1/","api_key":"{{Key}}","auth":"x-api-key","api_format":"anthropic"}"""));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var p = JsonDocument.Parse(reply.Body).RootElement;
        Assert.Equal("acme", p.GetProperty("name").GetString());
        Assert.Equal("https://acme.example/v1", p.GetProperty("base_url").GetString());
        Assert.Equal("x-api-key", p.GetProperty("auth").GetString());
        Assert.Equal("anthropic", p.GetProperty("api_format").GetString());
        Assert.Equal("…ZYXW", p.GetProperty("api_key").GetString());
        Assert.Equal("file", p.GetProperty("key_source").GetString());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ProvidersFile(f)));
        Assert.Contains(Key, await File.ReadAllTextAsync(ProvidersFile(f)));
        Assert.DoesNotContain("acme", await new StreamReader(oldFile).ReadToEndAsync());
        Assert.Empty(Directory.GetFiles(f.AuthDir, "*.tmp"));
        Assert.Equal(Key, f.App.Services.Providers.Get("acme")!.ApiKey!.Reveal());

        var list = await client.GetAsync("/providers/api", Bearer);
        Assert.Equal("…ZYXW", Provider(list, "acme").GetProperty("api_key").GetString());
        Assert.All(client.Bodies, b => Assert.DoesNotContain(Key, b));
        Assert.All(client.Bodies, b => Assert.DoesNotContain(ProxyFixture.UpstreamKey, b));
    }

    [Fact]
    public async Task An_omitted_or_empty_key_keeps_the_stored_key()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        await client.SendAsync("PUT", "/providers/api/acme", Bearer, DashboardClient.Json($$"""{"base_url":"https://a.example/v1","api_key":"{{Key}}"}"""));
        var empty = await client.SendAsync("PUT", "/providers/api/acme", Bearer, DashboardClient.Json("""{"base_url":"https://b.example/v1","api_key":""}"""));
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        var omitted = await client.SendAsync("PUT", "/providers/api/acme", Bearer, DashboardClient.Json("""{"auth":"bearer"}"""));
        Assert.Equal(HttpStatusCode.OK, omitted.Status);
        var p = f.App.Services.Providers.Get("acme")!;
        Assert.Equal(Key, p.ApiKey!.Reveal());
        Assert.Equal("https://b.example/v1", p.BaseUrl);
    }

    [Theory]
    [InlineData("acme", """{"base_url":"ftp://acme.example"}""", "base_url")]
    [InlineData("acme", """{"base_url":"not a url"}""", "base_url")]
    [InlineData("acme", """{"base_url":"https://a.example/v1","auth":"basic"}""", "auth 'basic'")]
    [InlineData("acme", """{"base_url":"https://a.example/v1","api_format":"gemini"}""", "api_format 'gemini'")]
    [InlineData("acme", """{"base_url":"https://a.example/v1","api_key":"…WXYZ"}""", "api_key")]
    [InlineData("acme", """{"api_key":"sk-1"}""", "base_url is required")]
    [InlineData("acme", """{"base_url":"https://a.example/v1","bogus":"1"}""", "unknown field 'bogus'")]
    [InlineData("acme", """{"base_url":""", "not valid JSON")]
    [InlineData("Bad%20Name", """{"base_url":"https://a.example/v1"}""", "provider name")]
    [InlineData("a%2Fb", """{"base_url":"https://a.example/v1"}""", "provider name")]
    public async Task Invalid_puts_are_400_naming_the_problem_and_change_nothing(string name, string json, string problem)
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        byte[] before = await File.ReadAllBytesAsync(ProvidersFile(f));
        var reply = await client.SendAsync("PUT", "/providers/api/" + name, Bearer, DashboardClient.Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains(problem, JsonDocument.Parse(reply.Body).RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(before, await File.ReadAllBytesAsync(ProvidersFile(f)));
    }

    [Fact]
    public async Task Delete_is_204_then_404()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var deleted = await client.SendAsync("DELETE", "/providers/api/fakenone", Bearer);
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("", deleted.Body);
        Assert.DoesNotContain("fakenone", await File.ReadAllTextAsync(ProvidersFile(f)));
        Assert.Null(f.App.Services.Providers.Get("fakenone"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync("DELETE", "/providers/api/fakenone", Bearer)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync("DELETE", "/providers/api/never-was", Bearer)).Status);
    }

    [Fact]
    public async Task Environment_keys_show_as_such_masked_and_are_never_written()
    {
        const string envKey = "sk-env-openai-key-abcdefgh5678";
        await using var f = await ProxyFixture.StartAsync(c => c with
        {
            EnvKeys = new Dictionary<string, Secret> { ["openai"] = new(envKey) },
        });
        using var client = new DashboardClient(f.DashboardBase);
        var openai = Provider(await client.GetAsync("/providers/api", Bearer), "openai");
        Assert.Equal("environment", openai.GetProperty("key_source").GetString());
        Assert.Equal("…5678", openai.GetProperty("api_key").GetString());

        var put = await client.SendAsync("PUT", "/providers/api/openai", Bearer, DashboardClient.Json($$"""{"base_url":"{{f.Upstream.BaseUrl}}"}"""));
        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal("environment", JsonDocument.Parse(put.Body).RootElement.GetProperty("key_source").GetString());
        string file = await File.ReadAllTextAsync(ProvidersFile(f));
        Assert.Contains("openai", file);
        Assert.DoesNotContain(envKey, file);
        Assert.All(client.Bodies, b => Assert.DoesNotContain(envKey, b));
    }

    [Fact]
    public async Task No_response_anywhere_carries_a_full_key()
    {
        await using var f = await ProxyFixture.StartAsync();
        using var client = new DashboardClient(f.DashboardBase);
        var s = await client.LoginAsync(ProxyFixture.DashboardToken);
        await client.PostFormAsync("/providers", s.Auth, ("csrf", s.Csrf), ("action", "save"), ("name", "acme"),
            ("base_url", "https://acme.example/v1"), ("api_key", Key), ("auth", "bearer"), ("api_format", "openai"));
        await client.PostFormAsync("/providers", s.Auth, ("csrf", s.Csrf), ("action", "save"), ("name", "acme"),
            ("base_url", "bad"), ("api_key", Key), ("auth", "bearer"));
        await client.SendAsync("PUT", "/providers/api/acme", Bearer, DashboardClient.Json($$"""{"api_key":"{{Key}}","auth":"nope"}"""));
        await client.SendAsync("PUT", "/providers/api/acme", Bearer, DashboardClient.Json($$"""{"api_key":"{{Key}}"""));
        foreach (var path in new[] { "/", "/pod", "/costs", "/login", "/providers/api", "/pod/api", "/costs/api",
                     "/assets/common.js", "/assets/providers.js", "/assets/pod.js", "/assets/costs.js", "/assets/charts.js", "/assets/style.css" })
        {
            await client.GetAsync(path, s.Auth);
            await client.GetAsync(path, Bearer);
        }
        Assert.Equal(Key, f.App.Services.Providers.Get("acme")!.ApiKey!.Reveal());
        Assert.True(client.Bodies.Count > 25);
        foreach (var body in client.Bodies)
        {
            Assert.DoesNotContain(Key, body);
            Assert.DoesNotContain(Key[..^4], body);
            Assert.DoesNotContain(ProxyFixture.UpstreamKey, body);
            Assert.DoesNotContain(ProxyFixture.AnthropicKey, body);
            Assert.DoesNotContain(ProxyFixture.DashboardToken, body);
        }
        // JSON writes the ellipsis as \u2026; either way the last four characters are what shows.
        Assert.Contains(client.Bodies, b => b.Contains("\\u2026ZYXW"));
    }
}
