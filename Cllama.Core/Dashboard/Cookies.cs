namespace Cllama.Dashboard;

/// <summary>Reads one cookie out of a <c>Cookie: a=1; b=2</c> header.</summary>
public static class Cookies
{
    public static string? Get(string? header, string name)
    {
        if (header is null)
            return null;
        foreach (var part in header.Split(';'))
        {
            var pair = part.AsSpan().Trim();
            int eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq].SequenceEqual(name))
                return pair[(eq + 1)..].Trim().Trim('"').ToString();
        }
        return null;
    }
}
