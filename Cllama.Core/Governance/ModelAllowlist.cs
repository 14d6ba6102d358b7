namespace Cllama.Governance;

/// <summary>The models an agent may use: a request's <c>provider/model</c> must match one of the patterns.</summary>
public sealed class ModelAllowlist(IReadOnlyList<string> patterns)
{
    const int StackChars = 256;

    public IReadOnlyList<string> Patterns { get; } = patterns;

    public bool Allows(string provider, string model)
    {
        int length = provider.Length + 1 + model.Length;
        Span<char> name = length <= StackChars ? stackalloc char[StackChars] : new char[length];
        provider.CopyTo(name);
        name[provider.Length] = '/';
        model.CopyTo(name[(provider.Length + 1)..]);
        name = name[..length];
        foreach (string pattern in Patterns)
        {
            if (ModelGlob.IsMatch(pattern, name))
                return true;
        }
        return false;
    }

    /// <summary>For error messages and <c>/v1/me</c>: the patterns as written, or "none" for an empty list.</summary>
    public string Describe() => Patterns.Count == 0 ? "none" : string.Join(", ", Patterns);
}
