using Cllama.Config;

namespace Cllama.Tests.Config;

public class ConfigReaderTests
{
    static ProxyConfig Read(params (string Name, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Name, v => v.Value);
        return ConfigReader.Read(name => map.GetValueOrDefault(name));
    }

    [Fact]
    public void Defaults_match_the_contract()
    {
        var c = Read();
        Assert.Equal(new ListenAddress("", 8080), c.Listen);
        Assert.Equal(new ListenAddress("", 8081), c.UiListen);
        Assert.Equal("/claw/context", c.ContextRoot);
        Assert.Equal("/claw/auth", c.AuthDir);
        Assert.Equal("/claw/state", c.StateDir);
        Assert.Equal(33554432, c.MaxBodyBytes);
        Assert.Equal(TimeSpan.FromSeconds(10), c.HeaderTimeout);
        Assert.Equal(TimeSpan.FromSeconds(120), c.KeepAliveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), c.ShutdownGrace);
        Assert.Null(c.UiToken);
        Assert.False(c.UiAuthDisabled);
    }

    [Theory]
    [InlineData(":8080", "", 8080)]
    [InlineData("127.0.0.1:9000", "127.0.0.1", 9000)]
    [InlineData("[::1]:9001", "::1", 9001)]
    [InlineData("localhost:0", "localhost", 0)]
    public void Listen_addresses_in_every_form(string text, string host, int port)
    {
        Assert.Equal(new ListenAddress(host, port), Read(("LISTEN_ADDR", text)).Listen);
    }

    [Theory]
    [InlineData("LISTEN_ADDR", "8080")]
    [InlineData("LISTEN_ADDR", ":http")]
    [InlineData("UI_ADDR", "::1:80")]
    [InlineData("UI_ADDR", ":70000")]
    [InlineData("CLLAMA_MAX_BODY_BYTES", "-1")]
    [InlineData("CLLAMA_MAX_BODY_BYTES", "lots")]
    [InlineData("CLLAMA_MAX_BODY_BYTES", "99999999999")]
    [InlineData("CLLAMA_HEADER_TIMEOUT_MS", "0")]
    [InlineData("CLLAMA_IDLE_TIMEOUT_MS", "1.5")]
    [InlineData("OPENAI_BASE_URL", "ftp://example.com")]
    [InlineData("CLAW_UI_AUTH", "off")]
    [InlineData("CLAW_UI_TOKEN", "short")]
    public void Invalid_values_name_the_variable(string name, string value)
    {
        var e = Assert.Throws<ConfigException>(() => Read((name, value)));
        Assert.StartsWith(name + ":", e.Message);
    }

    [Fact]
    public void Env_keys_are_secrets_that_do_not_print()
    {
        var c = Read(("OPENAI_API_KEY", "sk-test-1234567890abcdef"));
        Assert.Equal("sk-test-1234567890abcdef", c.EnvKeys["openai"].Reveal());
        Assert.DoesNotContain("sk-test", c.EnvKeys["openai"].ToString());
        Assert.Equal("…cdef", $"{c.EnvKeys["openai"]}");
    }
}
