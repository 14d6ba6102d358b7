namespace Cllama.Tests.Ledger;

/// <summary>
/// What a crash would leave behind: a copy of a live ledger's files, taken while it is still open. Everything a
/// RecordAsync that already returned has written is in the copy, because it was fsynced before it returned.
/// </summary>
public static class LedgerImage
{
    public static string LedgerDir(string stateDir) => Path.Combine(stateDir, "ledger");

    public static void Copy(string fromStateDir, string toStateDir)
    {
        string target = Directory.CreateDirectory(LedgerDir(toStateDir)).FullName;
        foreach (var file in Directory.EnumerateFiles(LedgerDir(fromStateDir)))
        {
            if (!file.EndsWith(".lock", StringComparison.Ordinal))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        }
    }

    public static string[] Segments(string stateDir) =>
        Directory.GetFiles(LedgerDir(stateDir), "segment-*.log").Order(StringComparer.Ordinal).ToArray();

    public static string Snapshot(string stateDir) => Path.Combine(LedgerDir(stateDir), "snapshot.bin");
}
