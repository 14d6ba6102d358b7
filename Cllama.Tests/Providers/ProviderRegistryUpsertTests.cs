using System.Runtime.Versioning;
using System.Text.Json;
using Cllama.Config;
using Cllama.Providers;

namespace Cllama.Tests.Providers;

public sealed class ProviderRegistryUpsertTests : ProviderRegistryFixture
{
    [Theory]
    [InlineData("Open", "https://x", "provider name")]
    [InlineData("../x", "https://x", "provider name")]
    [InlineData("x", "not a url", "base_url 'not a url'")]
    [InlineData("x", "file:///etc/passwd", "http or https")]
    [InlineData("x", "https://x#frag", "fragment")]
    [InlineData("x", null, "base_url is required")]
    public void Upsert_rejects_invalid_names_and_urls(string name, string? url, string problem)
    {
        var r = Load();
        var change = r.Upsert(name, url, null, null, null);
        Assert.False(change.Ok);
        Assert.Contains(problem, change.Error);
        Assert.False(File.Exists(FilePath));
    }

    [Theory]
    [InlineData("digest", null, null, "auth 'digest'")]
    [InlineData(null, "cohere", null, "api_format 'cohere'")]
    [InlineData(null, null, "…abcd", "api_key")]
    [InlineData(null, null, "sk-with space", "api_key")]
    public void Upsert_rejects_invalid_auth_format_and_key(string? auth, string? format, string? key, string problem)
    {
        var change = Load().Upsert("openai", null, key, auth, format);
        Assert.False(change.Ok);
        Assert.Contains(problem, change.Error);
    }

    [Fact]
    public void Upsert_creates_then_updates_and_the_next_get_sees_it()
    {
        var r = Load();
        var created = r.Upsert("vllm", "http://127.0.0.1:8000/v1/", "tok-0123456789ab", "BEARER", "openai");
        Assert.True(created.Ok);
        Assert.True(created.Created);
        Assert.Equal("http://127.0.0.1:8000/v1", r.Get("vllm")!.BaseUrl);
        Assert.Equal("…89ab", r.Get("vllm")!.MaskedKey);

        var updated = r.Upsert("vllm", "http://127.0.0.1:8001/v1", null, "none", null);
        Assert.True(updated.Ok);
        Assert.False(updated.Created);
        Assert.Equal(new Provider("vllm", "http://127.0.0.1:8001/v1", new Secret("tok-0123456789ab"), ProviderAuth.None, ApiFormat.OpenAI, KeySource.File), r.Get("vllm"));
        Assert.Equal(r.Get("vllm"), Load().Get("vllm"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_key_keeps_the_stored_key(string? blank)
    {
        WriteFile("""{"providers":{"anthropic":{"api_key":"sk-ant-stored-1234"}}}""");
        var r = Load();

        Assert.True(r.Upsert("anthropic", "https://proxy.example/v1", blank, null, null).Ok);

        Assert.Equal("sk-ant-stored-1234", r.Get("anthropic")!.ApiKey!.Reveal());
        Assert.Equal("sk-ant-stored-1234", SavedEntry("anthropic").GetProperty("api_key").GetString());
        Assert.Equal("https://proxy.example/v1", SavedEntry("anthropic").GetProperty("base_url").GetString());
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Saves_atomically_with_mode_0600()
    {
        WriteFile("""{"providers":{"openai":{"api_key":"sk-old-0123456789"}}}""");
        File.SetUnixFileMode(FilePath, (UnixFileMode)0b110_100_100);
        var r = Load();
        Assert.Contains(Log.Warnings, w => w.Contains("readable by group or others"));

        Assert.True(r.Upsert("openai", null, "sk-new-0123456789", null, null).Ok);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.Equal(["providers.json"], Directory.GetFiles(AuthDir).Select(Path.GetFileName));
        Assert.Equal("sk-new-0123456789", SavedEntry("openai").GetProperty("api_key").GetString());
    }

    [Fact]
    public async Task Readers_never_see_a_half_written_file()
    {
        var r = Load();
        Assert.True(r.Upsert("openai", null, "sk-0123456789abc", null, null).Ok);
        using var stop = new CancellationTokenSource();
        using var reading = new ManualResetEventSlim();
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(FilePath));
                Assert.True(doc.RootElement.GetProperty("providers").TryGetProperty("openai", out _));
                reading.Set();
            }
        });
        Assert.True(reading.Wait(TimeSpan.FromSeconds(10)));

        for (int i = 0; i < 100; i++)
            Assert.True(r.Upsert("openai", null, $"sk-{new string((char)('a' + i % 26), 10 + i)}", null, null).Ok);
        stop.Cancel();
        await reader;
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Save_creates_a_missing_auth_dir()
    {
        var r = Load();
        Assert.True(r.Upsert("openai", null, "sk-0123456789abc", null, null).Ok);
        Assert.True(File.Exists(FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
    }

    [Fact]
    public void Environment_keys_are_never_written()
    {
        EnvKeys["openai"] = new Secret("sk-env-secret-0000");
        EnvKeys["anthropic"] = new Secret("sk-env-secret-1111");
        WriteFile("""{"providers":{"anthropic":{"api_key":"sk-file-anthropic-22"}}}""");
        var r = Load();

        Assert.True(r.Upsert("openai", "https://gateway.example/v1", null, null, null).Ok);
        Assert.True(r.Upsert("anthropic", null, null, "x-api-key", null).Ok);

        string saved = File.ReadAllText(FilePath);
        Assert.DoesNotContain("sk-env-secret", saved);
        Assert.False(SavedEntry("openai").TryGetProperty("api_key", out _));
        Assert.Equal("sk-file-anthropic-22", SavedEntry("anthropic").GetProperty("api_key").GetString());
        Assert.Equal(KeySource.Environment, r.Get("openai")!.KeySource);
        Assert.Equal("https://gateway.example/v1", r.Get("openai")!.BaseUrl);
    }

    [Fact]
    public void Delete_removes_file_providers_and_leaves_env_ones()
    {
        EnvKeys["openai"] = new Secret("sk-env-0123456789");
        WriteFile("""{"providers":{"openai":{"base_url":"https://file.example/v1"},"local":{"base_url":"http://127.0.0.1:1/v1"}}}""");
        var r = Load();

        Assert.True(r.Delete("local"));
        Assert.Null(r.Get("local"));
        Assert.False(r.Delete("local"));

        Assert.True(r.Delete("openai"));
        Assert.Equal("https://api.openai.com/v1", r.Get("openai")!.BaseUrl);
        Assert.False(r.Delete("openai"));

        Assert.Equal(["openai"], r.Names);
        Assert.Equal("{}", SavedProviders().GetRawText());
    }

    [Fact]
    public void Concurrent_writers_lose_no_update()
    {
        var r = Load();
        Parallel.For(0, 16, i => Assert.True(r.Upsert($"p{i}", $"http://127.0.0.1:{9000 + i}/v1", null, null, null).Ok));

        Assert.Equal(16, r.All.Count);
        Assert.Equal(16, Load().All.Count);
    }

    [Fact]
    public void Masked_key_shows_at_most_four_characters()
    {
        EnvKeys["openai"] = new Secret("sk-proj-abcdefghijklmnop");
        var p = Load().Get("openai")!;
        Assert.Equal("…mnop", p.MaskedKey);
        Assert.DoesNotContain("abcdefghijkl", p.ToString());
    }
}
