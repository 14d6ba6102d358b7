using System.Runtime.Versioning;
using System.Text.Json;
using Cllama.App;
using Cllama.Config;
using Cllama.Providers;
using Cllama.Tests.Agents;

namespace Cllama.Tests.Providers;

public sealed class ProviderRegistryTests : IDisposable
{
    readonly TempDir _dir = new();
    readonly CapturingLogger _log = new();
    readonly Dictionary<string, Secret> _envKeys = [];
    readonly Dictionary<string, string> _envUrls = [];

    string AuthDir => _dir.Combine("auth");
    string FilePath => Path.Combine(AuthDir, "providers.json");

    void WriteFile(string json)
    {
        Directory.CreateDirectory(AuthDir);
        File.WriteAllText(FilePath, json);
    }

    ProviderRegistry Load() => ProviderRegistry.Load(AuthDir, _envKeys, _envUrls, _log);

    JsonElement SavedEntry(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(FilePath));
        return doc.RootElement.GetProperty("providers").GetProperty(name).Clone();
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void No_dir_and_no_env_means_no_providers()
    {
        var r = Load();
        Assert.Empty(r.All);
        Assert.Empty(r.Names);
        Assert.Null(r.Get("openai"));
        Assert.Contains(_log.Warnings, w => w.Contains(AuthDir));
    }

    [Fact]
    public void Seed_file_loads_with_name_defaults_for_missing_fields()
    {
        WriteFile("""
            {
              "providers": {
                "anthropic": { "base_url": "https://api.anthropic.com/v1/", "api_key": "sk-ant-0123456789", "auth": "x-api-key" },
                "openrouter": { "base_url": "https://openrouter.ai/api/v1", "api_key": "sk-or-0123456789", "auth": "bearer" },
                "ollama": { "base_url": "http://ollama:11434/v1", "auth": "none" },
                "gemini": { "api_key": "g-0123456789abc" },
                "local": { "base_url": "http://10.0.0.5:8000/v1", "api_format": "anthropic" }
              }
            }
            """);
        var r = Load();

        Assert.Equal(["anthropic", "gemini", "local", "ollama", "openrouter"], r.Names);
        Assert.Equal(new Provider("anthropic", "https://api.anthropic.com/v1", new Secret("sk-ant-0123456789"), ProviderAuth.XApiKey, ApiFormat.Anthropic, KeySource.File), r.Get("anthropic"));
        Assert.Equal(ProviderAuth.Bearer, r.Get("openrouter")!.Auth);
        Assert.Equal(ApiFormat.OpenAI, r.Get("openrouter")!.Format);
        var ollama = r.Get("ollama")!;
        Assert.Equal((ProviderAuth.None, KeySource.None, false), (ollama.Auth, ollama.KeySource, ollama.IsMissingKey));
        Assert.Equal("https://generativelanguage.googleapis.com/v1beta/openai", r.Get("gemini")!.BaseUrl);
        var local = r.Get("local")!;
        Assert.Equal((ProviderAuth.Bearer, ApiFormat.Anthropic, true), (local.Auth, local.Format, local.IsMissingKey));
    }

    [Fact]
    public void Env_alone_creates_providers_with_defaults()
    {
        _envKeys["openai"] = new Secret("sk-env-openai-123456");
        _envKeys["anthropic"] = new Secret("sk-env-anthropic-1234");
        _envUrls["ollama"] = "http://gpu-box:11434/v1";
        var r = Load();

        Assert.Equal(["anthropic", "ollama", "openai"], r.Names);
        Assert.Equal(new Provider("openai", "https://api.openai.com/v1", new Secret("sk-env-openai-123456"), ProviderAuth.Bearer, ApiFormat.OpenAI, KeySource.Environment), r.Get("openai"));
        Assert.Equal((ProviderAuth.XApiKey, ApiFormat.Anthropic), (r.Get("anthropic")!.Auth, r.Get("anthropic")!.Format));
        Assert.Equal(("http://gpu-box:11434/v1", ProviderAuth.None), (r.Get("ollama")!.BaseUrl, r.Get("ollama")!.Auth));
    }

    [Fact]
    public void Env_key_and_base_url_win_over_the_file()
    {
        WriteFile("""{"providers":{"openai":{"base_url":"https://file.example/v1","api_key":"sk-file-0123456789","auth":"bearer"}}}""");
        _envKeys["openai"] = new Secret("sk-env-0123456789");
        _envUrls["openai"] = "http://127.0.0.1:9999/v1";
        var openai = Load().Get("openai")!;

        Assert.Equal("sk-env-0123456789", openai.ApiKey!.Reveal());
        Assert.Equal(KeySource.Environment, openai.KeySource);
        Assert.Equal("http://127.0.0.1:9999/v1", openai.BaseUrl);
    }

    [Theory]
    [InlineData("{", "not valid JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""{"providers":[]}""", "\"providers\" is not an object")]
    [InlineData("""{"providers":{"x":"https://x"}}""", "provider 'x' is not an object")]
    [InlineData("""{"providers":{"Open AI":{}}}""", "'Open AI'")]
    [InlineData("""{"providers":{"a":{"base_url":"https://a"},"a":{"base_url":"https://b"}}}""", "appears twice")]
    [InlineData("""{"providers":{"x":{"base_url":"ftp://x"}}}""", "not an absolute http or https URL")]
    [InlineData("""{"providers":{"x":{"base_url":"https://x?y=1"}}}""", "query")]
    [InlineData("""{"providers":{"x":{"base_url":"https://x","auth":"basic"}}}""", "auth 'basic'")]
    [InlineData("""{"providers":{"x":{"base_url":"https://x","api_format":"gemini"}}}""", "api_format 'gemini'")]
    [InlineData("""{"providers":{"x":{"base_url":"https://x","api_key":7}}}""", "\"api_key\" is not a string")]
    [InlineData("""{"providers":{"x":{"base_url":"https://x","api_key":"a\nb"}}}""", "HTTP header")]
    [InlineData("""{"providers":{"x":{"auth":"bearer"}}}""", "no \"base_url\"")]
    public void A_bad_file_stops_start_up_naming_the_file_and_problem(string json, string problem)
    {
        WriteFile(json);
        var e = Assert.Throws<StartupException>(Load);
        Assert.StartsWith(FilePath + ": ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Empty_file_object_is_no_providers()
    {
        WriteFile("{}");
        Assert.Empty(Load().All);
    }

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
        Assert.Contains(_log.Warnings, w => w.Contains("readable by group or others"));

        Assert.True(r.Upsert("openai", null, "sk-new-0123456789", null, null).Ok);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.Equal(["providers.json"], Directory.GetFiles(AuthDir).Select(Path.GetFileName));
        Assert.Equal("sk-new-0123456789", SavedEntry("openai").GetProperty("api_key").GetString());
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
        _envKeys["openai"] = new Secret("sk-env-secret-0000");
        _envKeys["anthropic"] = new Secret("sk-env-secret-1111");
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
        _envKeys["openai"] = new Secret("sk-env-0123456789");
        WriteFile("""{"providers":{"openai":{"base_url":"https://file.example/v1"},"local":{"base_url":"http://127.0.0.1:1/v1"}}}""");
        var r = Load();

        Assert.True(r.Delete("local"));
        Assert.Null(r.Get("local"));
        Assert.False(r.Delete("local"));

        Assert.True(r.Delete("openai"));
        Assert.Equal("https://api.openai.com/v1", r.Get("openai")!.BaseUrl);
        Assert.False(r.Delete("openai"));

        Assert.Equal(["openai"], r.Names);
        Assert.Equal("{}", SavedProviders());
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
        _envKeys["openai"] = new Secret("sk-proj-abcdefghijklmnop");
        var p = Load().Get("openai")!;
        Assert.Equal("…mnop", p.MaskedKey);
        Assert.DoesNotContain("abcdefghijkl", p.ToString());
    }

    string SavedProviders()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(FilePath));
        return doc.RootElement.GetProperty("providers").GetRawText();
    }
}
