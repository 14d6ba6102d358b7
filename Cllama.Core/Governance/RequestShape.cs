using System.Text.Json;

namespace Cllama.Governance;

/// <summary>What a budget needs to know about a route and body beyond what RequestBody inspects.</summary>
public static class RequestShape
{
    public static RequestKind KindOf(string path) => path switch
    {
        "/v1/messages/count_tokens" => RequestKind.Free,
        "/v1/embeddings" => RequestKind.InputOnly,
        _ => RequestKind.Generation,
    };

    /// <summary>
    /// The key an output cap is written under on this route, or null where the proxy does not know the body's shape
    /// well enough to add one. OpenAI's own chat API wants <c>max_completion_tokens</c> (its reasoning models refuse
    /// <c>max_tokens</c>); OpenAI-compatible providers are only sure to know <c>max_tokens</c>.
    /// </summary>
    public static string? ClampKey(string path, string provider) => path switch
    {
        "/v1/messages" or "/v1/completions" => "max_tokens",
        "/v1/responses" => "max_output_tokens",
        "/v1/chat/completions" => provider == "openai" ? "max_completion_tokens" : "max_tokens",
        _ => null,
    };

    /// <summary>
    /// How many completions one request pays for: top-level <c>n</c> (chat, completions) or <c>best_of</c>
    /// (completions), whichever is larger; 1 when absent or not a positive whole number.
    /// </summary>
    public static int Choices(string path, ReadOnlySpan<byte> body)
    {
        if (path is not ("/v1/chat/completions" or "/v1/completions"))
            return 1;
        // A vectorised scan spares the JSON pass for the usual body. Any \u escape forces the pass, since a key
        // spelt "\u006e" is still "n" to the provider.
        if (body.IndexOf("\"n\""u8) < 0 && body.IndexOf("best_of"u8) < 0 && body.IndexOf("\\u"u8) < 0)
            return 1;
        int choices = 1;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return 1;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool counts = reader.ValueTextEquals("n"u8) || reader.ValueTextEquals("best_of"u8);
                reader.Read();
                if (counts && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int n) && n > 1)
                    choices = Math.Max(choices, n);
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // The body was validated before; a surprise here just means one choice.
        }
        return choices;
    }
}
