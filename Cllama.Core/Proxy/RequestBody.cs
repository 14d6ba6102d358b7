using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Unicode;

namespace Cllama.Proxy;

/// <summary>
/// Reads the few fields the proxy needs from a request body in one <see cref="Utf8JsonReader"/> pass, and splices
/// changes in at their byte offsets (STYLE pattern 8): everything else reaches the provider byte for byte.
/// </summary>
public static partial class RequestBody
{
    /// <summary>Deeper than any real request; the reader's default of 64 could refuse a deep tool schema.</summary>
    const int MaxDepth = 256;

    static readonly string[] Watched = ["model", "stream", "stream_options", "max_tokens", "max_completion_tokens", "max_output_tokens"];

    /// <summary>
    /// Validates the body as one JSON object and records model, stream, stream_options and the output cap.
    /// A watched key that appears twice, or in another letter case, is refused: providers disagree on which
    /// duplicate wins (and Go decoders match keys case-insensitively), so the model we check and price could
    /// differ from the one the provider runs. Keys inside nested objects are never looked at.
    /// </summary>
    public static bool TryInspect(ReadOnlySpan<byte> body, [NotNullWhen(true)] out RequestBodyInfo? info, [NotNullWhen(false)] out string? error)
    {
        info = null;
        if (body.IsEmpty)
            return Fail("the body is empty", out error);
        // The reader checks UTF-8 only in strings it is asked to decode; JSON text must be UTF-8 throughout.
        if (!Utf8.IsValid(body))
            return Fail("the body is not valid UTF-8", out error);
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
                return Fail("the body is not a JSON object", out error);

            var seen = new HashSet<string>(StringComparer.Ordinal);
            string? model = null, maxKey = null;
            int modelStart = -1, modelLength = 0, members = 0;
            bool stream = false;
            long? maxTokens = null;
            StreamOptions options = StreamOptions.Absent;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                members++;
                if (!TryWatchedKey(ref reader, seen, out string? key, out error))
                    return false;
                reader.Read();
                switch (key)
                {
                    case "model":
                        if (reader.TokenType != JsonTokenType.String)
                            return Fail("\"model\" is not a string", out error);
                        model = reader.GetString();
                        modelStart = (int)reader.TokenStartIndex;
                        modelLength = (int)reader.BytesConsumed - modelStart;
                        break;
                    case "stream":
                        stream = reader.TokenType == JsonTokenType.True;
                        reader.Skip();
                        break;
                    case "stream_options":
                        if (!TryReadStreamOptions(ref reader, out options, out error))
                            return false;
                        break;
                    case "max_tokens" or "max_completion_tokens" or "max_output_tokens":
                        long? value = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out long n) ? n : null;
                        // With several caps the largest is the worst case a budget has to reserve for.
                        if (maxKey is null || (value ?? long.MaxValue) > (maxTokens ?? long.MaxValue))
                            (maxKey, maxTokens) = (key, value);
                        reader.Skip();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            int objectEnd = (int)reader.TokenStartIndex;
            if (reader.Read())
                return Fail("more JSON follows the top-level object", out error);

            info = new RequestBodyInfo
            {
                Model = model,
                ModelStart = modelStart,
                ModelLength = modelLength,
                Stream = stream,
                HasStreamOptions = options.Start >= 0,
                IncludeUsage = options.IncludeUsage,
                StreamOptionsStart = options.Start,
                StreamOptionsLength = options.Length,
                StreamOptionsIsObject = options.IsObject,
                StreamOptionsMemberCount = options.MemberCount,
                IncludeUsageStart = options.IncludeUsageStart,
                IncludeUsageLength = options.IncludeUsageLength,
                MaxTokens = maxTokens,
                MaxTokensKey = maxKey,
                ObjectEnd = objectEnd,
                MemberCount = members,
            };
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            return Fail(e.Message, out error);
        }
        catch (InvalidOperationException e)
        {
            // GetString on a string whose escapes make a lone surrogate.
            return Fail(e.Message, out error);
        }
    }

    /// <summary>
    /// Matches the property name the reader is on against <paramref name="seen"/> and the watched keys. Returns the
    /// watched key it is exactly (null for any other key), or false for a duplicate or case variant.
    /// </summary>
    static bool TryWatchedKey(ref Utf8JsonReader reader, HashSet<string> seen, out string? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        error = null;
        // The longest watched key, fully \u-escaped, is 21 * 6 bytes; anything longer cannot be one.
        if (reader.ValueSpan.Length > 21 * 6)
            return true;
        string name = reader.GetString()!;
        foreach (string watched in Watched)
        {
            if (!name.Equals(watched, StringComparison.OrdinalIgnoreCase))
                continue;
            if (name != watched)
                return Fail($"\"{name}\" differs from \"{watched}\" only in letter case", out error);
            if (!seen.Add(watched))
                return Fail($"\"{watched}\" appears more than once", out error);
            key = watched;
        }
        return true;
    }

    static bool Fail(string problem, out string error)
    {
        error = problem;
        return false;
    }
}
