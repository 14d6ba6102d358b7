using System.Text.Encodings.Web;
using System.Text.Json;
using Cllama.App;
using Cllama.Config;

namespace Cllama.Providers;

/// <summary>
/// Reads and writes CLAW_AUTH_DIR/providers.json, in the seed's format:
/// <c>{"providers":{"name":{"base_url","api_key","auth","api_format"}}}</c>.
/// </summary>
internal static class ProvidersFile
{
    public const string FileName = "providers.json";

    /// <summary>The file's providers; a missing file is none, anything unreadable or invalid stops start-up.</summary>
    public static Dictionary<string, ProviderFileEntry> Read(string path)
    {
        var entries = new Dictionary<string, ProviderFileEntry>(StringComparer.Ordinal);
        if (!File.Exists(path))
            return entries;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw Bad(path, "the top level is not a JSON object");
            if (!doc.RootElement.TryGetProperty("providers", out var providers) || providers.ValueKind == JsonValueKind.Null)
                return entries;
            if (providers.ValueKind != JsonValueKind.Object)
                throw Bad(path, "\"providers\" is not an object");
            foreach (var p in providers.EnumerateObject())
            {
                if (!ProviderText.IsValidName(p.Name))
                    throw Bad(path, $"provider name '{p.Name}' is not lower-case letters, digits, '.', '_' or '-' (at most 64)");
                if (entries.ContainsKey(p.Name))
                    throw Bad(path, $"provider '{p.Name}' appears twice");
                entries[p.Name] = ReadEntry(path, p.Name, p.Value);
            }
            return entries;
        }
        catch (JsonException e)
        {
            throw Bad(path, $"not valid JSON ({e.Message})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Bad(path, $"cannot be read ({e.Message})");
        }
    }

    static ProviderFileEntry ReadEntry(string path, string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw Bad(path, $"provider '{name}' is not an object");
        string? Text(string field)
        {
            if (!e.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
                return null;
            if (v.ValueKind != JsonValueKind.String)
                throw Bad(path, $"provider '{name}': \"{field}\" is not a string");
            return v.GetString() is { Length: > 0 } s ? s : null;
        }

        string? url = null, error = null;
        ProviderAuth auth = default;
        ApiFormat format = default;
        string? urlText = Text("base_url"), key = Text("api_key")?.Trim(), authText = Text("auth"), formatText = Text("api_format");
        if ((urlText is not null && !ProviderText.TryNormalizeUrl(urlText, out url, out error))
            || (authText is not null && !ProviderText.TryParseAuth(authText, out auth, out error))
            || (formatText is not null && !ProviderText.TryParseFormat(formatText, out format, out error)))
            throw Bad(path, $"provider '{name}': {error}");
        if (key is { Length: > 0 } && !ProviderText.IsValidKey(key))
            throw Bad(path, $"provider '{name}': \"api_key\" has characters that cannot go in an HTTP header");
        if (url is null && ProviderDefaults.For(name) is null)
            throw Bad(path, $"provider '{name}' has no \"base_url\" and no built-in default");
        return new ProviderFileEntry(url, key is { Length: > 0 } ? new Secret(key) : null,
            authText is null ? null : auth, formatText is null ? null : format);
    }

    /// <summary>Replaces the file atomically and 0600 (<see cref="PrivateFile.WriteAtomic"/>): it holds keys.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, ProviderFileEntry> entries) =>
        PrivateFile.WriteAtomic(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            Write(writer, entries);
        });

    static void Write(Utf8JsonWriter w, IReadOnlyDictionary<string, ProviderFileEntry> entries)
    {
        w.WriteStartObject();
        w.WriteStartObject("providers");
        foreach (var (name, e) in entries.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(name);
            if (e.BaseUrl is not null)
                w.WriteString("base_url", e.BaseUrl);
            if (e.ApiKey is not null)
                w.WriteString("api_key", e.ApiKey.Reveal());
            if (e.Auth is { } auth)
                w.WriteString("auth", ProviderText.ToText(auth));
            if (e.Format is { } format)
                w.WriteString("api_format", ProviderText.ToText(format));
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    static StartupException Bad(string path, string problem) => new($"{path}: {problem}");
}
