using System.Collections.Concurrent;
using Cllama.Agents;
using Cllama.App;
using Cllama.Config;
using Cllama.Ledger;
using Microsoft.Extensions.Logging;

namespace Cllama.Governance;

/// <summary>
/// The policy in force for each agent, from its metadata.json and the operator's <c>CLAW_AUTH_DIR/policy.json</c>.
/// Precedence is per field (<c>budget</c> and <c>models</c> separately): <c>agents.X</c> in policy.json, else
/// policy.json's <c>defaults</c>, else the agent's metadata.json. The operator owns policy.json and the agent's own
/// directory may not be, so the operator's word wins; a field set to null in policy.json means "none" and lifts
/// what lies below it. policy.json is polled (mtime and size, once a second), so an edit takes effect within two
/// seconds; an edit that does not parse is logged and the previous policy stays in force.
/// </summary>
public sealed partial class PolicyRegistry : IDisposable
{
    public const string FileName = "policy.json";

    /// <summary>Half the two-second promise: a change is seen by the next poll, and the poll after it if torn.</summary>
    static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A file this recently written is re-read on every poll even when mtime and size look unchanged: some
    /// filesystems keep mtime in whole seconds, so a same-size edit inside that tick would otherwise be missed.
    /// </summary>
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    /// <summary>A policy is a few kilobytes; the cap keeps a stray huge file from being read every second.</summary>
    const long MaxBytes = 4 * 1024 * 1024;

    readonly string _path;
    readonly ILogger _logger;
    readonly TimeSpan _pollInterval;
    volatile State _state = new(PolicyDocument.Empty, null, null);
    BackgroundPoll? _poll;

    PolicyRegistry(string authDir, ILogger logger, TimeSpan pollInterval)
    {
        _path = Path.Combine(authDir, FileName);
        _logger = logger;
        _pollInterval = pollInterval;
    }

    /// <summary>
    /// Reads policy.json now (a missing file is no policy); an unreadable or invalid one is a
    /// <see cref="StartupException"/> naming the file and the problem. Call <see cref="Start"/> to begin polling.
    /// </summary>
    public static PolicyRegistry Load(string authDir, ILogger logger) => Load(authDir, logger, DefaultPollInterval);

    internal static PolicyRegistry Load(string authDir, ILogger logger, TimeSpan pollInterval)
    {
        var registry = new PolicyRegistry(authDir, logger, pollInterval);
        if (!registry.TryLoad(out string? problem))
            throw new StartupException($"{registry._path}: {problem}");
        return registry;
    }

    public string FilePath => _path;

    /// <summary>Keeps policy.json fresh in the background until disposed.</summary>
    public void Start()
    {
        if (_poll is not null)
            throw new InvalidOperationException("PolicyRegistry already started");
        _poll = new BackgroundPoll(_pollInterval, Refresh);
    }

    /// <summary>The merged policy for <paramref name="agent"/>; cached until the agent or policy.json changes.</summary>
    public EffectivePolicy Resolve(Agent agent)
    {
        var state = _state;
        if (state.Document.IsEmpty && ReferenceEquals(agent.Policy, AgentPolicy.None))
            return EffectivePolicy.None;
        // The registry hands out the same Agent instance until its metadata.json changes, so identity is the key.
        if (state.Cache.TryGetValue(agent.Id, out var hit) && ReferenceEquals(hit.Agent, agent))
            return hit.Policy;
        var policy = Compose(state.Document, agent);
        state.Cache[agent.Id] = (agent, policy);
        return policy;
    }

    static EffectivePolicy Compose(PolicyDocument doc, Agent agent)
    {
        var own = doc.Agents.GetValueOrDefault(agent.Id) ?? PolicyLayer.Empty;
        var defaults = doc.Defaults;
        var metadata = PolicyLayer.FromMetadata(agent.Policy);
        var models = own.HasModels ? own.Models : defaults.HasModels ? defaults.Models : metadata.Models;
        var budget = own.HasBudget ? own.Budget : defaults.HasBudget ? defaults.Budget : metadata.Budget;
        return new EffectivePolicy(
            models is null ? null : new ModelAllowlist(models),
            budget is null ? null : new AgentBudget(budget.LimitUsd, BudgetWindows.Parse(budget.Window)));
    }

    public void Dispose() => _poll?.Dispose();

    sealed record State(PolicyDocument Document, FileStamp? Stamp, string? Hash)
    {
        public ConcurrentDictionary<string, (Agent Agent, EffectivePolicy Policy)> Cache { get; } = new(StringComparer.Ordinal);
    }

    readonly record struct FileStamp(DateTime LastWriteUtc, long Length);
}
