namespace Cllama.Agents;

/// <summary>
/// The agent id grammar, ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$. An id names a directory, so anything outside it
/// (slashes, "..", a leading dot) is refused before a path is ever built from it.
/// </summary>
public static class AgentId
{
    public const int MaxLength = 128;

    public static bool IsValid(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > MaxLength || !char.IsAsciiLetterOrDigit(id[0]))
            return false;
        foreach (char c in id[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-'))
                return false;
        }
        return true;
    }
}
