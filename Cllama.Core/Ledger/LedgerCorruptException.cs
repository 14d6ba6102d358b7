namespace Cllama.Ledger;

/// <summary>A ledger file that cannot be trusted (not a torn last write, which is expected after a crash and repaired).</summary>
public sealed class LedgerCorruptException(string path, string problem, Exception? inner = null)
    : Exception($"{path}: {problem}", inner)
{
    public string Path { get; } = path;
}
