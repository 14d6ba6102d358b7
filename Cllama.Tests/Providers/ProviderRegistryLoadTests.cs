using Cllama.App;
using Cllama.Config;
using Cllama.Providers;

namespace Cllama.Tests.Providers;

public sealed class ProviderRegistryLoadTests : ProviderRegistryFixture
{
    [Fact]
    public void No_dir_and_no_env_means_no_providers()
    {
        var r = Load();
        Assert.Empty(r.All);
        Assert.Empty(r.Names);
        Assert.Null(r.Get("openai"));
        Assert.Contains(Log.Warnings, w => w.Contains(AuthDir));
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
        EnvKeys["openai"] = new Secret("sk-env-openai-123456");
        EnvKeys["anthropic"] = new Secret("sk-env-anthropic-1234");
        EnvUrls["ollama"] = "http://gpu-box:11434/v1";
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
        EnvKeys["openai"] = new Secret("sk-env-0123456789");
        EnvUrls["openai"] = "http://127.0.0.1:9999/v1";
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
}
