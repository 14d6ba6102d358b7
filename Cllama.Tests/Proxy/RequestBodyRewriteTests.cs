using System.Text;
using System.Text.Json;
using Cllama.Proxy;

namespace Cllama.Tests.Proxy;

public class RequestBodyRewriteTests
{
    static string Rewrite(string json, string? model, bool injectUsage = false, long? maxTokens = null)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        Assert.True(RequestBody.TryInspect(body, out var info, out var error), error);
        byte[] result = RequestBody.Rewrite(body, info, model, injectUsage, maxTokens);
        using var _ = JsonDocument.Parse(result);
        return Encoding.UTF8.GetString(result);
    }

    [Theory]
    [InlineData("""{"model":"openai/gpt-4o","messages":[]}""", "gpt-4o", """{"model":"gpt-4o","messages":[]}""")]
    [InlineData("""{"messages":[],"stream":true,"model":"openai/gpt-4o"}""", "gpt-4o", """{"messages":[],"stream":true,"model":"gpt-4o"}""")]
    [InlineData("""{"model":"openrouter/anthropic/claude-sonnet-4"}""", "anthropic/claude-sonnet-4", """{"model":"anthropic/claude-sonnet-4"}""")]
    [InlineData("""{"model":"x/caf\u00e9","note":"caf\u00e9 \"q\""}""", "café", """{"model":"café","note":"caf\u00e9 \"q\""}""")]
    [InlineData("""{"model":"x/m","a":"\ud83d\ude00 😀 \/"}""", "m", """{"model":"m","a":"\ud83d\ude00 😀 \/"}""")]
    [InlineData("""{"t":1e400,"seed":123456789012345678901234567890,"p":-0.0,"q":1.0E+2,"model":"a/b"}""", "b", """{"t":1e400,"seed":123456789012345678901234567890,"p":-0.0,"q":1.0E+2,"model":"b"}""")]
    [InlineData("""{"metadata":{"model":"a/keep"},"model":"a/b","tools":[{"model":"a/keep"}]}""", "b", """{"metadata":{"model":"a/keep"},"model":"b","tools":[{"model":"a/keep"}]}""")]
    public void Splices_only_the_model(string json, string model, string expected) => Assert.Equal(expected, Rewrite(json, model));

    [Fact]
    public void Pretty_printed_bodies_keep_their_layout()
    {
        const string json = "{\r\n  \"stream\" : true,\n\t\"model\"  :  \"openai/gpt-4o\" ,\n  \"n\": 1\n}\n";
        Assert.Equal("{\r\n  \"stream\" : true,\n\t\"model\"  :  \"gpt-4o\" ,\n  \"n\": 1\n}\n", Rewrite(json, "gpt-4o"));
    }

    [Theory]
    [InlineData("quote\"back\\slash", "\"quote\\\"back\\\\slash\"")]
    [InlineData("line\nfeed\ttab\u0001", "\"line\\nfeed\\ttab\\u0001\"")]
    [InlineData("modèle-日本-😀", "\"modèle-日本-😀\"")]
    [InlineData("</script>", "\"</script>\"")]
    public void New_model_is_escaped_only_as_JSON_requires(string model, string token)
    {
        string result = Rewrite("""{"model":"p/x","n":1}""", model);
        Assert.Equal("{\"model\":" + token + ",\"n\":1}", result);
        using var doc = JsonDocument.Parse(result);
        Assert.Equal(model, doc.RootElement.GetProperty("model").GetString());
    }

    [Fact]
    public void An_unchanged_model_keeps_its_original_escapes()
    {
        const string json = """{"model":"claude-\u0033-haiku"}""";
        Assert.Equal(json, Rewrite(json, "claude-3-haiku"));
        Assert.Equal(json, Rewrite(json, null));
    }

    [Fact]
    public void A_body_without_a_model_cannot_get_one_spliced()
    {
        byte[] body = "{}"u8.ToArray();
        Assert.True(RequestBody.TryInspect(body, out var info, out _));
        Assert.Throws<ArgumentException>(() => RequestBody.Rewrite(body, info, "x", false, null));
    }

    [Theory]
    [InlineData("""{"model":"a/b","stream":true}""", """{"model":"b","stream":true,"stream_options":{"include_usage":true}}""")]
    [InlineData("""{"model":"a/b","stream":true }""", """{"model":"b","stream":true ,"stream_options":{"include_usage":true}}""")]
    [InlineData("""{"model":"a/b","stream_options":{}}""", """{"model":"b","stream_options":{"include_usage":true}}""")]
    [InlineData("""{"model":"a/b","stream_options":{ }}""", """{"model":"b","stream_options":{ "include_usage":true}}""")]
    [InlineData("""{"model":"a/b","stream_options":{"x":1}}""", """{"model":"b","stream_options":{"x":1,"include_usage":true}}""")]
    [InlineData("""{"stream_options":{"include_usage":false,"x":[1]},"model":"a/b"}""", """{"stream_options":{"include_usage":true,"x":[1]},"model":"b"}""")]
    [InlineData("""{"stream_options":{"include_usage":null},"model":"a/b"}""", """{"stream_options":{"include_usage":true},"model":"b"}""")]
    [InlineData("""{"stream_options":null,"model":"a/b"}""", """{"stream_options":{"include_usage":true},"model":"b"}""")]
    [InlineData("""{"stream_options":{"include_usage":true},"model":"a/b"}""", """{"stream_options":{"include_usage":true},"model":"b"}""")]
    [InlineData("""{"x":{"stream_options":{}},"model":"a/b"}""", """{"x":{"stream_options":{}},"model":"b","stream_options":{"include_usage":true}}""")]
    public void Injects_include_usage(string json, string expected) => Assert.Equal(expected, Rewrite(json, "b", injectUsage: true));

    [Theory]
    [InlineData("{}", false, 64L, """{"max_tokens":64}""")]
    [InlineData("{ }", true, null, """{ "stream_options":{"include_usage":true}}""")]
    [InlineData("{}", true, 64L, """{"stream_options":{"include_usage":true},"max_tokens":64}""")]
    [InlineData("{\n}", true, 64L, "{\n\"stream_options\":{\"include_usage\":true},\"max_tokens\":64}")]
    public void Empty_object_gets_no_stray_comma(string json, bool injectUsage, long? maxTokens, string expected) =>
        Assert.Equal(expected, Rewrite(json, null, injectUsage, maxTokens));

    [Theory]
    [InlineData("""{"model":"a/b"}""", """{"model":"b","max_tokens":512}""")]
    [InlineData("""{"model":"a/b","max_tokens":100}""", """{"model":"b","max_tokens":100}""")]
    [InlineData("""{"model":"a/b","max_completion_tokens":100}""", """{"model":"b","max_completion_tokens":100}""")]
    [InlineData("""{"model":"a/b","max_output_tokens":"bad"}""", """{"model":"b","max_output_tokens":"bad"}""")]
    public void Adds_max_tokens_only_when_no_cap_is_set(string json, string expected) => Assert.Equal(expected, Rewrite(json, "b", maxTokens: 512));

    [Fact]
    public void All_three_changes_at_once()
    {
        Assert.Equal("""{"stream":true,"model":"gpt-4o","messages":[],"stream_options":{"include_usage":true},"max_tokens":9}""",
            Rewrite("""{"stream":true,"model":"openai/gpt-4o","messages":[]}""", "gpt-4o", injectUsage: true, maxTokens: 9));
        Assert.Equal("""{"stream_options":{"a":1,"include_usage":true},"model":"m","max_tokens":9}""",
            Rewrite("""{"stream_options":{"a":1},"model":"p/m"}""", "m", injectUsage: true, maxTokens: 9));
    }

    [Fact]
    public void Max_tokens_key_can_be_named()
    {
        byte[] body = """{"model":"openai/o3","input":"hi"}"""u8.ToArray();
        Assert.True(RequestBody.TryInspect(body, out var info, out _));
        var result = RequestBody.Rewrite(body, info, "o3", false, 100, "max_output_tokens");
        Assert.Equal("""{"model":"o3","input":"hi","max_output_tokens":100}""", Encoding.UTF8.GetString(result));
    }
}
