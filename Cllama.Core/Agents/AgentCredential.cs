namespace Cllama.Agents;

/// <summary>Finds the presented "&lt;agent-id&gt;:&lt;secret&gt;" in the request headers.</summary>
internal static class AgentCredential
{
    /// <summary>
    /// <c>Authorization: Bearer …</c> (scheme case-insensitive, as RFC 9110 says) first, then <c>x-api-key</c>,
    /// which the Anthropic SDKs send instead.
    /// </summary>
    public static bool TryFind(string? authorization, string? xApiKey, out ReadOnlySpan<char> id, out ReadOnlySpan<char> secret)
    {
        ReadOnlySpan<char> credential = default;
        var auth = authorization.AsSpan().Trim();
        if (auth.Length > 7 && auth[..6].Equals("Bearer", StringComparison.OrdinalIgnoreCase) && auth[6] == ' ')
            credential = auth[7..].Trim();
        else if (xApiKey is not null)
            credential = xApiKey.AsSpan().Trim();

        int colon = credential.IndexOf(':');
        id = colon > 0 ? credential[..colon] : default;
        secret = colon > 0 ? credential[(colon + 1)..] : default;
        return colon > 0;
    }
}
