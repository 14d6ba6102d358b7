using System.Diagnostics.CodeAnalysis;

namespace Cllama.Providers;

/// <summary>
/// The text forms used in providers.json and the dashboard API, and their validation. Messages name the field and
/// the bad value but never a key.
/// </summary>
public static class ProviderText
{
    public static string ToText(ProviderAuth auth) => auth switch
    {
        ProviderAuth.Bearer => "bearer",
        ProviderAuth.XApiKey => "x-api-key",
        _ => "none",
    };

    public static string ToText(ApiFormat format) => format == ApiFormat.Anthropic ? "anthropic" : "openai";

    public static string ToText(KeySource source) => source switch
    {
        KeySource.File => "file",
        KeySource.Environment => "environment",
        _ => "none",
    };

    /// <summary>^[a-z0-9][a-z0-9._-]{0,63}$: the part of a model before its first '/', and a file key.</summary>
    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64 || !IsLowerOrDigit(name[0]))
            return false;
        foreach (char c in name.AsSpan(1))
        {
            if (!IsLowerOrDigit(c) && c is not ('.' or '_' or '-'))
                return false;
        }
        return true;
    }

    public static bool TryParseAuth(string text, out ProviderAuth auth, [NotNullWhen(false)] out string? error)
    {
        (auth, error) = text.ToLowerInvariant() switch
        {
            "bearer" => (ProviderAuth.Bearer, null),
            "x-api-key" => (ProviderAuth.XApiKey, null),
            "none" => (ProviderAuth.None, (string?)null),
            _ => (default, $"auth '{text}' is not one of bearer, x-api-key, none"),
        };
        return error is null;
    }

    public static bool TryParseFormat(string text, out ApiFormat format, [NotNullWhen(false)] out string? error)
    {
        (format, error) = text.ToLowerInvariant() switch
        {
            "openai" => (ApiFormat.OpenAI, null),
            "anthropic" => (ApiFormat.Anthropic, (string?)null),
            _ => (default, $"api_format '{text}' is not one of openai, anthropic"),
        };
        return error is null;
    }

    /// <summary>An absolute http(s) URL with a host and no query or fragment, returned without trailing '/'.</summary>
    public static bool TryNormalizeUrl(string text, [NotNullWhen(true)] out string? url, [NotNullWhen(false)] out string? error)
    {
        url = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            error = $"base_url '{text}' is not an absolute http or https URL";
        else if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
            error = $"base_url '{text}' must not have a query or fragment (request paths are appended to it)";
        else
            (url, error) = (text.TrimEnd('/'), null);
        return error is null;
    }

    /// <summary>Keys go into an HTTP header, so only visible ASCII: no spaces, no line breaks, no "…" pasted from a masked key.</summary>
    public static bool IsValidKey(string key)
    {
        foreach (char c in key)
        {
            if (c is < '!' or > '~')
                return false;
        }
        return key.Length > 0;
    }

    static bool IsLowerOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
