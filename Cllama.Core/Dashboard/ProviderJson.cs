using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Cllama.Providers;

namespace Cllama.Dashboard;

/// <summary>The fields a <c>PUT /providers/api/{name}</c> may set; null means "keep what is stored".</summary>
public sealed record ProviderUpdate(string? BaseUrl, string? ApiKey, string? Auth, string? ApiFormat);

/// <summary>
/// The providers JSON of the dashboard API, written and read by hand (no reflection, AOT-safe). A key leaves only as
/// <see cref="Provider.MaskedKey"/>: at most its last four characters.
/// </summary>
public static class ProviderJson
{
    public static byte[] WriteList(IReadOnlyList<Provider> providers) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("providers");
        foreach (var p in providers)
            WriteProvider(w, p);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] WriteOne(Provider provider) => Write(w => WriteProvider(w, provider));

    static void WriteProvider(Utf8JsonWriter w, Provider p)
    {
        w.WriteStartObject();
        w.WriteString("name", p.Name);
        w.WriteString("base_url", p.BaseUrl);
        w.WriteString("auth", ProviderText.ToText(p.Auth));
        w.WriteString("api_format", ProviderText.ToText(p.Format));
        if (p.MaskedKey is { } masked) w.WriteString("api_key", masked); else w.WriteNull("api_key");
        w.WriteString("key_source", ProviderText.ToText(p.KeySource));
        w.WriteEndObject();
    }

    static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
            body(w);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads <c>{"base_url","api_key","auth","api_format"}</c> (each a string or null; <c>name</c> allowed if it
    /// matches the path). Unknown fields are refused so a typo never silently does nothing.
    /// </summary>
    public static bool TryReadUpdate(ReadOnlySpan<byte> json, string name, [NotNullWhen(true)] out ProviderUpdate? update,
        [NotNullWhen(false)] out string? error)
    {
        update = null;
        string? baseUrl = null, apiKey = null, auth = null, format = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return Fail("body must be a JSON object", out error);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string field = reader.GetString()!;
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                    return Fail($"'{field}' must be a string", out error);
                string? value = reader.TokenType == JsonTokenType.Null ? null : reader.GetString();
                switch (field)
                {
                    case "base_url": baseUrl = value; break;
                    case "api_key": apiKey = value; break;
                    case "auth": auth = value; break;
                    case "api_format": format = value; break;
                    case "name" when value is null || value == name: break;
                    case "name": return Fail($"name '{value}' does not match the path's '{name}'", out error);
                    default: return Fail($"unknown field '{field}' (expected base_url, api_key, auth, api_format)", out error);
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
                return Fail("body must be one JSON object", out error);
        }
        catch (JsonException)
        {
            // The reader's message can quote the input, and the input may hold a key: say only what is wrong.
            return Fail("body is not valid JSON", out error);
        }
        update = new ProviderUpdate(baseUrl, apiKey, auth, format);
        error = null;
        return true;
    }

    static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
