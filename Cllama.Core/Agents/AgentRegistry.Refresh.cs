using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Cllama.Agents;

public sealed partial class AgentRegistry
{
    /// <summary>
    /// A file written this recently is read again on every poll even when its mtime and size look unchanged:
    /// some filesystems keep mtime in whole seconds (FAT in two), so a same-length token rotation inside that
    /// tick would otherwise be missed for good.
    /// </summary>
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    // Touched only by Refresh, which runs on one thread at a time (Start, then the poll loop).
    readonly Dictionary<string, (FileStamp Stamp, string Hash)> _rejected = new(StringComparer.Ordinal);
    bool _rootMissing;

    /// <summary>
    /// One poll: list the directories, stat each metadata.json, and reparse only files that changed. A rejected
    /// file is remembered by stamp and content hash so its warning is logged once, not every second.
    /// </summary>
    internal void Refresh()
    {
        var old = _snapshot.ById;
        var next = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (!Directory.Exists(_root))
        {
            if (!_rootMissing)
                LogRootMissing(_logger, _root);
            _rootMissing = true;
            _rejected.Clear();
            Publish(old, next);
            return;
        }
        _rootMissing = false;

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(_root))
        {
            string id = Path.GetFileName(dir);
            if (!AgentId.IsValid(id))
                continue;
            var file = new FileInfo(Path.Combine(dir, "metadata.json"));
            if (!file.Exists)
                continue;
            seen.Add(id);
            var stamp = new FileStamp(file.LastWriteTimeUtc, file.Length);
            bool settled = DateTime.UtcNow - stamp.LastWriteUtc > Settle;
            old.TryGetValue(id, out var current);
            _rejected.TryGetValue(id, out var bad);
            if (current is not null && current.Stamp == stamp && settled)
                next[id] = current;
            else if (!(current is null && bad.Stamp == stamp && settled) && Load(id, file, stamp, current, bad.Hash) is { } loaded)
                next[id] = loaded;
        }
        foreach (var id in _rejected.Keys.Where(k => !seen.Contains(k)).ToList())
            _rejected.Remove(id);
        Publish(old, next);
    }

    Entry? Load(string id, FileInfo file, FileStamp stamp, Entry? current, string? rejectedHash)
    {
        string? problem;
        string hash = "";
        try
        {
            if (stamp.Length > AgentMetadata.MaxBytes)
            {
                problem = $"larger than {AgentMetadata.MaxBytes} bytes";
            }
            else
            {
                byte[] bytes = File.ReadAllBytes(file.FullName);
                hash = Convert.ToHexString(SHA256.HashData(bytes));
                if (current is not null && current.Hash == hash)
                    return current with { Stamp = stamp };
                if (hash == rejectedHash)
                {
                    _rejected[id] = (stamp, hash);
                    return null;
                }
                if (AgentMetadata.TryParse(id, bytes, out var agent, out var secret, out problem))
                {
                    _rejected.Remove(id);
                    return new Entry(agent, secret, stamp, hash);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read ({e.Message})";
        }
        _rejected[id] = (stamp, hash);
        LogRejected(_logger, file.FullName, problem);
        return null;
    }

    /// <summary>Swaps in the new snapshot; listeners hear only about real changes (an agent or a token).</summary>
    void Publish(FrozenDictionary<string, Entry> old, Dictionary<string, Entry> next)
    {
        if (next.Count == old.Count && next.All(kv => old.TryGetValue(kv.Key, out var e) && ReferenceEquals(e, kv.Value)))
            return;
        _snapshot = new Snapshot(next.ToFrozenDictionary(StringComparer.Ordinal));
        if (next.Count == old.Count && next.All(kv => old.TryGetValue(kv.Key, out var e) && e.Hash == kv.Value.Hash))
            return;
        LogLoaded(_logger, next.Count, _root);
        try
        {
            Changed?.Invoke();
        }
        catch (Exception e)
        {
            LogRefreshFailed(_logger, _root, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent context root {Root} does not exist; no agent can authenticate until it appears")]
    static partial void LogRootMissing(ILogger logger, string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring {File}: {Problem}")]
    static partial void LogRejected(ILogger logger, string file, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} agents loaded from {Root}")]
    static partial void LogLoaded(ILogger logger, int count, string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing agents from {Root} failed: {Error}")]
    static partial void LogRefreshFailed(ILogger logger, string root, string error);
}
