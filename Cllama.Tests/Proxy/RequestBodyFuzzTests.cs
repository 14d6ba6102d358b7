using System.Text;
using System.Text.Json;
using Cllama.Proxy;

namespace Cllama.Tests.Proxy;

/// <summary>
/// Random request bodies (seeded, so a failure reproduces) checked against System.Text.Json's own parser:
/// inspection agrees with JsonDocument, and a rewrite changes exactly what it says and leaves every other
/// member's raw bytes alone.
/// </summary>
public class RequestBodyFuzzTests
{
    const int Cases = 1500;

    static readonly string[] Spaces = ["", "", "", " ", "\n", "\t", "\r\n", "  "];
    static readonly string[] Fragments = ["a", "Z", "0", " ", "é", "日本", "😀", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\ud83d\\ude00", "\\u0000", "model", "{", "}", ","];
    static readonly string[] Numbers = ["0", "-1", "1.5", "1e400", "-0.0", "1.0E+2", "123456789012345678901234567890", "9223372036854775807"];
    static readonly string[] OtherKeys = ["messages", "temperature", "tools", "metadata", "n", "user", "x-y", "mode", "models", "streams", "max_token"];

    sealed class Gen(int seed)
    {
        readonly Random _r = new(seed);
        public bool Chance(int percent) => _r.Next(100) < percent;
        public T Pick<T>(IReadOnlyList<T> items) => items[_r.Next(items.Count)];
        public string Ws() => Pick(Spaces);

        public string String()
        {
            var sb = new StringBuilder("\"");
            for (int i = _r.Next(6); i > 0; i--)
                sb.Append(Pick(Fragments));
            return sb.Append('"').ToString();
        }

        public string Value(int depth) => (depth > 3 ? _r.Next(4) : _r.Next(6)) switch
        {
            0 => String(),
            1 => Pick(Numbers),
            2 => Pick(["true", "false", "null"]),
            3 => String(),
            4 => "[" + Ws() + string.Join("," + Ws(), Enumerable.Range(0, _r.Next(3)).Select(_ => Value(depth + 1))) + Ws() + "]",
            _ => Object(Enumerable.Range(0, _r.Next(4)).Select(_ => (Pick(["model", "stream", "stream_options", .. OtherKeys]), Value(depth + 1))).DistinctBy(m => m.Item1).ToList()),
        };

        public string Object(IReadOnlyList<(string Key, string Value)> members) =>
            "{" + Ws() + string.Join(Ws() + "," + Ws(), members.Select(m => $"\"{m.Key}\"{Ws()}:{Ws()}{m.Value}")) + Ws() + "}";

        public List<(string, string)> Shuffle(List<(string, string)> items) => items.OrderBy(_ => _r.Next()).ToList();
    }

    static string Body(Gen g)
    {
        var members = new List<(string, string)>();
        if (g.Chance(90))
            members.Add(("model", "\"" + g.Pick(["openai", "anthropic", "x"]) + "/" + g.String()[1..]));
        if (g.Chance(60))
            members.Add(("stream", g.Pick(["true", "false", "null", "1"])));
        if (g.Chance(50))
            members.Add(("stream_options", g.Pick(["{}", "{ }", "null", "{\"include_usage\":false}", "{\"include_usage\":true}", "{\"x\":{\"include_usage\":true}}", "{\"a\":1,\"include_usage\":false,\"b\":[]}"])));
        if (g.Chance(30))
            members.Add((g.Pick(["max_tokens", "max_completion_tokens", "max_output_tokens"]), g.Pick(Numbers)));
        foreach (var key in OtherKeys.Where(_ => g.Chance(25)))
            members.Add((key, g.Value(0)));
        return g.Ws() + g.Object(g.Shuffle(members)) + g.Ws();
    }

    [Fact]
    public void Inspection_agrees_with_JsonDocument()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            byte[] body = Encoding.UTF8.GetBytes(Body(new Gen(seed)));
            Assert.True(RequestBody.TryInspect(body, out var info, out var error), $"seed {seed}: {error}");
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;

            Assert.Equal(root.TryGetProperty("model", out var m) ? m.GetString() : null, info.Model);
            Assert.Equal(root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True, info.Stream);
            Assert.Equal(root.TryGetProperty("stream_options", out var so), info.HasStreamOptions);
            Assert.Equal(so.ValueKind == JsonValueKind.Object && so.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True, info.IncludeUsage);
            Assert.Equal((byte)'}', body[info.ObjectEnd]);
            if (info.Model is not null)
                Assert.Equal(m.GetRawText(), Encoding.UTF8.GetString(body, info.ModelStart, info.ModelLength));
        }
    }

    [Fact]
    public void Rewrites_change_only_what_they_name()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var g = new Gen(seed);
            byte[] body = Encoding.UTF8.GetBytes(Body(g));
            Assert.True(RequestBody.TryInspect(body, out var info, out _));
            string? newModel = info.Model is null ? null : g.Pick(["gpt-4o", "anthropic/claude-sonnet-4", "q\"uote\\", "modèle 😀", "ctl\n\u0001"]);
            bool inject = g.Chance(50);
            long? cap = g.Chance(50) ? 4096 : null;

            byte[] result = RequestBody.Rewrite(body, info, newModel, inject, cap);

            using var before = JsonDocument.Parse(body);
            using var after = JsonDocument.Parse(result);
            var changed = new HashSet<string> { "model" };
            if (newModel is not null)
                Assert.Equal(newModel, after.RootElement.GetProperty("model").GetString());
            if (inject)
            {
                changed.Add("stream_options");
                var options = after.RootElement.GetProperty("stream_options");
                Assert.Equal(JsonValueKind.True, options.GetProperty("include_usage").ValueKind);
                if (before.RootElement.TryGetProperty("stream_options", out var old) && old.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in old.EnumerateObject().Where(p => p.Name != "include_usage"))
                        Assert.Equal(p.Value.GetRawText(), options.GetProperty(p.Name).GetRawText());
                }
            }
            if (cap is not null && info.MaxTokensKey is null)
            {
                changed.Add("max_tokens");
                Assert.Equal(cap, after.RootElement.GetProperty("max_tokens").GetInt64());
            }

            // Every member the rewrite did not name keeps its exact bytes, and nothing else appears.
            var beforeMembers = before.RootElement.EnumerateObject().Where(p => !changed.Contains(p.Name)).Select(p => (p.Name, p.Value.GetRawText()));
            var afterMembers = after.RootElement.EnumerateObject().Where(p => !changed.Contains(p.Name)).Select(p => (p.Name, p.Value.GetRawText()));
            Assert.Equal(beforeMembers, afterMembers);

            if (!inject && cap is null && newModel is not null)
            {
                int end = info.ModelStart + info.ModelLength;
                Assert.Equal(body[..info.ModelStart], result[..info.ModelStart]);
                Assert.Equal(body[end..], result[^(body.Length - end)..]);
            }
        }
    }

    [Fact]
    public void Mangled_bodies_are_refused_exactly_when_JsonDocument_refuses_them()
    {
        for (int seed = 0; seed < Cases; seed++)
        {
            var g = new Gen(seed);
            byte[] body = Encoding.UTF8.GetBytes(Body(g));
            var rnd = new Random(seed);
            byte[] mangled = rnd.Next(3) switch
            {
                0 => body[..rnd.Next(body.Length)],
                1 => [.. body[..rnd.Next(body.Length)], .. body[(rnd.Next(body.Length) is var i && i < body.Length ? i : 0)..]],
                _ => Flip(body, rnd),
            };

            bool ours = RequestBody.TryInspect(mangled, out _, out var error);
            bool theirs = ParsesAsObjectWithUniqueWatchedKeys(mangled);
            Assert.True(ours == theirs, $"seed {seed}: ours={ours} ({error}) JsonDocument={theirs}: {Encoding.UTF8.GetString(mangled)}");
        }
    }

    static byte[] Flip(byte[] body, Random rnd)
    {
        byte[] copy = (byte[])body.Clone();
        // Includes the two bytes of "é" singly, so some flips make invalid UTF-8.
        ReadOnlySpan<byte> junk = "{}[]\",:\\ 0aé"u8;
        copy[rnd.Next(copy.Length)] = junk[rnd.Next(junk.Length)];
        return copy;
    }

    /// <summary>The oracle: strict UTF-8, JsonDocument, then the watched-key rules; a model whose escapes make no string (a lone surrogate) is refused.</summary>
    static bool ParsesAsObjectWithUniqueWatchedKeys(byte[] bytes)
    {
        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return false;
            string[] watched = ["model", "stream", "stream_options", "max_tokens", "max_completion_tokens", "max_output_tokens"];
            var names = doc.RootElement.EnumerateObject().Select(p => p.Name).Where(n => watched.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList();
            if (names.Count != names.Distinct(StringComparer.OrdinalIgnoreCase).Count() || names.Any(n => !watched.Contains(n)))
                return false;
            if (doc.RootElement.TryGetProperty("model", out var m) && (m.ValueKind != JsonValueKind.String || m.GetString() is null))
                return false;
            if (doc.RootElement.TryGetProperty("stream_options", out var so) && so.ValueKind == JsonValueKind.Object)
            {
                var usage = so.EnumerateObject().Where(p => p.Name.Equals("include_usage", StringComparison.OrdinalIgnoreCase)).ToList();
                if (usage.Count > 1 || usage.Any(p => p.Name != "include_usage"))
                    return false;
            }
            return true;
        }
        catch (Exception e) when (e is JsonException or DecoderFallbackException or InvalidOperationException)
        {
            return false;
        }
    }
}
