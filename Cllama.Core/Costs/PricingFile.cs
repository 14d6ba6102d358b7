using System.Text;
using System.Text.Json;
using Cllama.App;

namespace Cllama.Costs;

/// <summary>
/// Reads the operator's <c>pricing.json</c>: <c>{"models":{"openai/gpt-4o":{"input":2.5,"output":10,
/// "cache_read":1.25,"cache_write":3.125}}}</c>, USD per million tokens. An entry replaces the built-in one with
/// the same key or adds a new model; <c>"provider/*"</c> prices every model of a provider; <c>null</c> marks a
/// model unpriced. An optional <c>"long_context":{"above_input_tokens":272000,"input_multiplier":2,
/// "output_multiplier":1.5}</c> adds a long-context rule. Unknown fields in an entry are errors, since a misspelt
/// rate would otherwise be silently ignored.
/// </summary>
internal static class PricingFile
{
    const string Source = "pricing.json";

    public static void Apply(string path, Dictionary<string, ModelPrice?> prices)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{path}: cannot read: {e.Message}", e);
        }
        try
        {
            Parse(bytes, prices);
        }
        catch (JsonException e)
        {
            throw new StartupException($"{path}: invalid JSON: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new StartupException($"{path}: {e.Message}", e);
        }
    }

    static void Parse(ReadOnlySpan<byte> json, Dictionary<string, ModelPrice?> prices)
    {
        if (json.StartsWith(Encoding.UTF8.Preamble))
            json = json[Encoding.UTF8.Preamble.Length..];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new FormatException("expected a JSON object");
        // Other top-level keys are left for later versions of the file.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool models = reader.ValueTextEquals("models"u8);
            reader.Read();
            if (!models)
            {
                reader.Skip();
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
                throw new FormatException("\"models\" must be an object of \"provider/model\": price");
            ReadModels(ref reader, prices);
        }
    }

    static void ReadModels(ref Utf8JsonReader reader, Dictionary<string, ModelPrice?> prices)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            int slash = key.IndexOf('/');
            if (slash <= 0 || slash == key.Length - 1)
                throw new FormatException($"models: key \"{key}\" is not \"provider/model\"");
            reader.Read();
            prices[key] = reader.TokenType switch
            {
                JsonTokenType.Null => null,
                JsonTokenType.StartObject => ReadPrice(ref reader, key),
                _ => throw new FormatException($"models.\"{key}\": expected an object with input and output rates, or null"),
            };
        }
    }

    static ModelPrice ReadPrice(ref Utf8JsonReader reader, string key)
    {
        decimal? input = null, output = null, cacheRead = null, cacheWrite = null;
        LongContextRule? longContext = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "input": input = Rate(ref reader, key, field); break;
                case "output": output = Rate(ref reader, key, field); break;
                case "cache_read": cacheRead = OptionalRate(ref reader, key, field); break;
                case "cache_write": cacheWrite = OptionalRate(ref reader, key, field); break;
                case "long_context": longContext = ReadLongContext(ref reader, key); break;
                default: throw new FormatException($"models.\"{key}\": unknown field \"{field}\"");
            }
        }
        if (input is null || output is null)
            throw new FormatException($"models.\"{key}\": needs both \"input\" and \"output\" (USD per million tokens)");
        return new ModelPrice(input.Value, output.Value, cacheRead, cacheWrite, Source) { LongContext = longContext };
    }

    static LongContextRule ReadLongContext(ref Utf8JsonReader reader, string key)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new FormatException($"models.\"{key}\".long_context: expected an object");
        decimal? above = null, inputMultiplier = null, outputMultiplier = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "above_input_tokens": above = Rate(ref reader, key, "long_context." + field); break;
                case "input_multiplier": inputMultiplier = Rate(ref reader, key, "long_context." + field); break;
                case "output_multiplier": outputMultiplier = Rate(ref reader, key, "long_context." + field); break;
                default: throw new FormatException($"models.\"{key}\".long_context: unknown field \"{field}\"");
            }
        }
        if (above is not { } threshold || threshold != decimal.Truncate(threshold) || threshold > long.MaxValue)
            throw new FormatException($"models.\"{key}\".long_context: needs a whole \"above_input_tokens\"");
        return new LongContextRule((long)threshold, inputMultiplier ?? 1m, outputMultiplier ?? 1m);
    }

    static decimal? OptionalRate(ref Utf8JsonReader reader, string key, string field) =>
        reader.TokenType == JsonTokenType.Null ? null : Rate(ref reader, key, field);

    static decimal Rate(ref Utf8JsonReader reader, string key, string field)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out decimal value) || value < 0)
            throw new FormatException($"models.\"{key}\".{field}: expected a non-negative number");
        return value;
    }
}
