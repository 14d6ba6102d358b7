using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Cllama.Governance;

public sealed partial class PolicyRegistry
{
    // Touched only by Load and then the poll loop, one at a time.
    FileStamp? _rejectedStamp;
    string? _rejectedHash;

    /// <summary>
    /// Loads policy.json into the state if it exists; false with the problem when it cannot be read or parsed (the
    /// current policy is then left as it is).
    /// </summary>
    bool TryLoad(out string? problem)
    {
        var file = new FileInfo(_path);
        if (!file.Exists)
        {
            if (_state.Stamp is not null)
            {
                LogRemoved(_logger, _path);
                _state = new State(PolicyDocument.Empty, null, null);
            }
            _rejectedStamp = null;
            _rejectedHash = null;
            problem = null;
            return true;
        }
        var stamp = new FileStamp(file.LastWriteTimeUtc, file.Length);
        string? hash = null;
        try
        {
            if (stamp.Length > MaxBytes)
                return Reject(stamp, null, $"larger than {MaxBytes} bytes", out problem);
            byte[] bytes = File.ReadAllBytes(_path);
            hash = Convert.ToHexString(SHA256.HashData(bytes));
            var current = _state;
            if (hash == current.Hash)
            {
                // Touched, not changed: keep the document and its cache.
                _state = current with { Stamp = stamp };
                problem = null;
                return true;
            }
            if (hash == _rejectedHash)
                return Reject(stamp, hash, null, out problem);
            var document = PolicyFile.Parse(bytes);
            _state = new State(document, stamp, hash);
            _rejectedStamp = null;
            _rejectedHash = null;
            problem = null;
            return true;
        }
        catch (FormatException e)
        {
            return Reject(stamp, hash, e.Message, out problem);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Reject(stamp, hash, $"cannot be read: {e.Message}", out problem);
        }
    }

    /// <summary>A null <paramref name="why"/> is a file already rejected for the same bytes: not worth a new warning.</summary>
    bool Reject(FileStamp stamp, string? hash, string? why, out string? problem)
    {
        _rejectedStamp = stamp;
        _rejectedHash = hash;
        problem = why;
        return false;
    }

    /// <summary>One poll: re-read policy.json when its stamp moved (or it was written moments ago).</summary>
    internal void Refresh()
    {
        try
        {
            var file = new FileInfo(_path);
            if (file.Exists)
            {
                var stamp = new FileStamp(file.LastWriteTimeUtc, file.Length);
                bool settled = DateTime.UtcNow - stamp.LastWriteUtc > Settle;
                if (settled && (stamp == _state.Stamp || stamp == _rejectedStamp))
                    return;
            }
            else if (_state.Stamp is null)
            {
                return;
            }
            var before = _state;
            if (!TryLoad(out string? problem))
            {
                if (problem is not null)
                    LogRejected(_logger, _path, problem);
            }
            else if (!ReferenceEquals(before.Document, _state.Document) && _state.Stamp is not null)
            {
                LogLoaded(_logger, _path, _state.Document.Agents.Count);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRejected(_logger, _path, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring the new {File} and keeping the previous policy: {Problem}")]
    static partial void LogRejected(ILogger logger, string file, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy reloaded from {File} ({Agents} agent entries)")]
    static partial void LogLoaded(ILogger logger, string file, int agents);

    [LoggerMessage(Level = LogLevel.Information, Message = "{File} was removed: only the agents' metadata.json policies apply now")]
    static partial void LogRemoved(ILogger logger, string file);
}
