using System.Collections.Frozen;
using Cllama.Config;
using Microsoft.Extensions.Logging;

namespace Cllama.Agents;

/// <summary>
/// The agents under <c>CLAW_CONTEXT_ROOT</c>, cached in memory and refreshed by a background poll, so a change on
/// disk takes effect within two seconds and the request path never touches a file. A poll of directory listings
/// and stat calls is used rather than FileSystemWatcher, which misses changes on bind mounts and overlay
/// filesystems in containers.
/// </summary>
public sealed partial class AgentRegistry : IDisposable
{
    /// <summary>One second of polling leaves a full second of margin on the two-second promise (CONTRACT §3).</summary>
    static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Compared against when the agent is unknown, so that path costs the same as a wrong secret.</summary>
    static readonly Secret Decoy = new(Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

    readonly string _root;
    readonly ILogger _logger;
    readonly TimeSpan _pollInterval;
    volatile Snapshot _snapshot = Snapshot.Empty;
    BackgroundPoll? _poll;

    public AgentRegistry(string contextRoot, ILogger logger) : this(contextRoot, logger, DefaultPollInterval) { }

    internal AgentRegistry(string contextRoot, ILogger logger, TimeSpan pollInterval)
    {
        _root = contextRoot;
        _logger = logger;
        _pollInterval = pollInterval;
    }

    /// <summary>Raised on the poll thread after the set of agents (or a token) changed.</summary>
    public event Action? Changed;

    /// <summary>Agents sorted by id.</summary>
    public IReadOnlyList<Agent> All => _snapshot.All;

    /// <summary>Loads the agents now, then keeps them fresh in the background until disposed.</summary>
    public void Start()
    {
        if (_poll is not null)
            throw new InvalidOperationException("AgentRegistry already started");
        TryRefresh();
        _poll = new BackgroundPoll(_pollInterval, TryRefresh);
    }

    /// <summary>
    /// Checks the presented credential against the cache only. The id grammar is checked before anything is looked
    /// up, and every failure returns the same <see cref="AuthResult.Failed"/>.
    /// </summary>
    public AuthResult Authenticate(string? authorizationHeader, string? xApiKeyHeader)
    {
        if (!AgentCredential.TryFind(authorizationHeader, xApiKeyHeader, out var id, out var presented) || !AgentId.IsValid(id))
            return AuthResult.Failed;
        var known = _snapshot.ById.TryGetValue(id.ToString(), out var entry);
        bool match = ConstantTime.Equals(presented.ToString(), (known ? entry!.Secret : Decoy).Reveal());
        return known && match ? new AuthResult(entry!.Agent) : AuthResult.Failed;
    }

    public void Dispose() => _poll?.Dispose();

    /// <summary>A poll that fails (root unreadable, removed mid-listing) keeps the last good agents and tries again.</summary>
    void TryRefresh()
    {
        try
        {
            Refresh();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogRefreshFailed(_logger, _root, e.Message);
        }
    }

    /// <summary>A loaded agent; <paramref name="Hash"/> is of the file's bytes, so a rewrite with equal content is no change.</summary>
    sealed record Entry(Agent Agent, Secret Secret, FileStamp Stamp, string Hash);

    readonly record struct FileStamp(DateTime LastWriteUtc, long Length);

    sealed class Snapshot(FrozenDictionary<string, Entry> byId)
    {
        public static readonly Snapshot Empty = new(FrozenDictionary.ToFrozenDictionary<string, Entry>([], StringComparer.Ordinal));
        public FrozenDictionary<string, Entry> ById { get; } = byId;
        public IReadOnlyList<Agent> All { get; } = byId.Values.Select(e => e.Agent).OrderBy(a => a.Id, StringComparer.Ordinal).ToArray();
    }
}
