namespace Cllama.Governance;

/// <summary>
/// Allowlist patterns such as <c>anthropic/claude-*</c>, matched against the requested <c>provider/model</c>.
/// <c>*</c> matches any run of characters, slashes included (<c>openrouter/*</c> covers
/// <c>openrouter/anthropic/claude-sonnet-4</c>); every other character matches itself, ignoring case as the price
/// table does. Case-folding can only admit another spelling of an allowed name, which a provider either treats as
/// the same model or rejects.
/// </summary>
public static class ModelGlob
{
    /// <summary>
    /// Greedy matching with one backtrack point (the last <c>*</c>): linear for patterns with one star, and never worse
    /// than pattern × text, so a hostile model name cannot make a check expensive. No regex, no allocation.
    /// </summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        int p = 0, t = 0, star = -1, starText = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                starText = t;
            }
            else if (p < pattern.Length && char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(text[t]))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++starText;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }

    /// <summary>
    /// A usable pattern names a provider (<c>openai/gpt-4o-mini</c>, <c>anthropic/*</c>) or is <c>*</c>; one without a
    /// slash, such as <c>gpt-4o</c>, could never match a <c>provider/model</c> and is almost certainly a mistake.
    /// </summary>
    public static bool IsWellFormed(string pattern)
    {
        int slash = pattern.IndexOf('/');
        return pattern == "*" || (slash > 0 && slash < pattern.Length - 1);
    }
}
