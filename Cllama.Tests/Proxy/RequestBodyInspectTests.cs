using System.Text;
using Cllama.Proxy;

namespace Cllama.Tests.Proxy;

public class RequestBodyInspectTests
{
    static RequestBodyInfo Inspect(string json)
    {
        Assert.True(RequestBody.TryInspect(Encoding.UTF8.GetBytes(json), out var info, out var error), error);
        return info;
    }

    [Fact]
    public void Finds_model_stream_and_usage()
    {
        const string json = """{"model":"openai/gpt-4o","stream":true,"stream_options":{"include_usage":true},"max_tokens":256}""";
        var info = Inspect(json);

        Assert.Equal("openai/gpt-4o", info.Model);
        Assert.Equal("\"openai/gpt-4o\"", json.Substring(info.ModelStart, info.ModelLength));
        Assert.True(info.Stream);
        Assert.True(info.HasStreamOptions);
        Assert.True(info.IncludeUsage);
        Assert.Equal("""{"include_usage":true}""", json.Substring(info.StreamOptionsStart, info.StreamOptionsLength));
        Assert.Equal((256L, "max_tokens"), (info.MaxTokens, info.MaxTokensKey));
        Assert.Equal(json.Length - 1, info.ObjectEnd);
    }

    [Fact]
    public void Absent_fields_are_absent()
    {
        var info = Inspect("""  { "messages" : [ ] }  """);
        Assert.Null(info.Model);
        Assert.Equal(-1, info.ModelStart);
        Assert.False(info.Stream);
        Assert.False(info.HasStreamOptions);
        Assert.False(info.IncludeUsage);
        Assert.Null(info.MaxTokens);
        Assert.Null(info.MaxTokensKey);
        Assert.Equal(21, info.ObjectEnd);
    }

    [Theory]
    [InlineData("""{"stream":false}""", false)]
    [InlineData("""{"stream":"true"}""", false)]
    [InlineData("""{"stream":1}""", false)]
    [InlineData("""{"stream":{"stream":true}}""", false)]
    [InlineData("""{"stream" : true }""", true)]
    public void Stream_is_only_a_literal_true(string json, bool stream) => Assert.Equal(stream, Inspect(json).Stream);

    [Theory]
    [InlineData("""{"stream_options":{"include_usage":false}}""", true, false)]
    [InlineData("""{"stream_options":{}}""", true, false)]
    [InlineData("""{"stream_options":null}""", true, false)]
    [InlineData("""{"stream_options":{"x":{"include_usage":true}}}""", true, false)]
    [InlineData("""{"x":{"stream_options":{"include_usage":true}}}""", false, false)]
    public void Include_usage_is_read_from_the_top_level_stream_options_only(string json, bool has, bool include)
    {
        var info = Inspect(json);
        Assert.Equal((has, include), (info.HasStreamOptions, info.IncludeUsage));
    }

    [Theory]
    [InlineData("""{"max_tokens":100}""", "max_tokens", 100L)]
    [InlineData("""{"max_completion_tokens":200}""", "max_completion_tokens", 200L)]
    [InlineData("""{"max_output_tokens":300}""", "max_output_tokens", 300L)]
    [InlineData("""{"max_tokens":100,"max_completion_tokens":400}""", "max_completion_tokens", 400L)]
    [InlineData("""{"max_tokens":1.5}""", "max_tokens", null)]
    [InlineData("""{"max_tokens":"lots"}""", "max_tokens", null)]
    [InlineData("""{"max_tokens":99999999999999999999}""", "max_tokens", null)]
    public void Output_cap_records_its_key(string json, string key, long? value)
    {
        var info = Inspect(json);
        Assert.Equal((value, key), (info.MaxTokens, info.MaxTokensKey));
    }

    [Fact]
    public void Nested_model_keys_are_not_the_model()
    {
        var info = Inspect("""{"metadata":{"model":"evil/x"},"messages":[{"role":"user","content":"\"model\":\"evil\""}],"model":"openai/gpt-4o"}""");
        Assert.Equal("openai/gpt-4o", info.Model);
    }

    [Fact]
    public void Escaped_model_is_unescaped()
    {
        Assert.Equal("openai/café \"x\" \\ é", Inspect("""{"model":"openai/caf\u00e9 \"x\" \\ é"}""").Model);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("\"model\"", "not a JSON object")]
    [InlineData("null", "not a JSON object")]
    [InlineData("{", "")]
    [InlineData("{\"model\":\"a/b\"", "")]
    [InlineData("""{"model":"a/b",}""", "")]
    [InlineData("""{"model":"a/b"} x""", "")]
    [InlineData("""{"model":"a/b"}{}""", "")]
    [InlineData("""{"model":"a/b"} // c""", "")]
    [InlineData("""{'model':'a/b'}""", "")]
    [InlineData("""{"model":1}""", "\"model\" is not a string")]
    [InlineData("""{"model":null}""", "\"model\" is not a string")]
    [InlineData("""{"model":["a/b"]}""", "\"model\" is not a string")]
    [InlineData("""{"model":"a/b","model":"c/d"}""", "\"model\" appears more than once")]
    [InlineData("""{"model":"a/b","mod\u0065l":"c/d"}""", "\"model\" appears more than once")]
    [InlineData("""{"model":"a/b","Model":"c/d"}""", "only in letter case")]
    [InlineData("""{"MODEL":"c/d"}""", "only in letter case")]
    [InlineData("""{"max_tokens":1,"max_tokens":100000}""", "\"max_tokens\" appears more than once")]
    [InlineData("""{"stream":false,"stream":true}""", "\"stream\" appears more than once")]
    [InlineData("""{"stream_options":{"include_usage":true,"include_usage":false}}""", "appears more than once")]
    [InlineData("""{"stream_options":{"Include_Usage":false}}""", "case variant")]
    public void Invalid_bodies_are_refused_with_a_reason(string json, string problem)
    {
        Assert.False(RequestBody.TryInspect(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains(problem, error);
    }

    [Fact]
    public void Invalid_utf8_anywhere_is_refused()
    {
        byte[] body = [.. "{\"model\":\"a/b\",\"x\":\""u8, 0xC3, 0x28, .. "\"}"u8];
        Assert.False(RequestBody.TryInspect(body, out _, out var error));
        Assert.Contains("UTF-8", error);
    }

    [Fact]
    public void Deep_nesting_within_reason_is_accepted()
    {
        string deep = new string('[', 200) + new string(']', 200);
        Assert.Equal("a/b", Inspect($$"""{"tools":{{deep}},"model":"a/b"}""").Model);
    }

    [Fact]
    public void Every_prefix_of_a_body_is_refused()
    {
        byte[] body = """{"model":"openai/gpt-4o","stream":true,"messages":[{"role":"user","content":"hi"}]}"""u8.ToArray();
        for (int i = 0; i < body.Length; i++)
            Assert.False(RequestBody.TryInspect(body.AsSpan(0, i), out _, out _), $"prefix of {i} bytes");
    }
}
