using System.Collections.Frozen;
using Cllama.Config;
using Microsoft.Extensions.Logging;

namespace Cllama.Providers;

/// <summary>
/// The providers: built-in defaults by name, then providers.json, then the environment, which wins. Readers take an
/// immutable snapshot (one volatile reference), so a request never sees half an update; writers are serialized,
/// save the file first and swap the snapshot after, so the very next <see cref="Get"/> sees a saved change.
/// </summary>
public sealed partial class ProviderRegistry
{
    readonly string _path;
    readonly IReadOnlyDictionary<string, Secret> _envKeys;
    readonly IReadOnlyDictionary<string, string> _envBaseUrls;
    readonly Lock _write = new();
    volatile Snapshot _snapshot;

    ProviderRegistry(string path, IReadOnlyDictionary<string, Secret> envKeys, IReadOnlyDictionary<string, string> envBaseUrls,
        Dictionary<string, ProviderFileEntry> file)
    {
        _path = path;
        _envKeys = envKeys;
        _envBaseUrls = envBaseUrls;
        _snapshot = Resolve(file);
    }

    /// <summary>Reads authDir/providers.json (missing is fine); an invalid file throws a StartupException naming it.</summary>
    public static ProviderRegistry Load(string authDir, IReadOnlyDictionary<string, Secret> envKeys,
        IReadOnlyDictionary<string, string> envBaseUrls, ILogger logger)
    {
        string path = Path.Combine(authDir, ProvidersFile.FileName);
        if (!Directory.Exists(authDir))
            LogDirMissing(logger, authDir);
        else if (!File.Exists(path))
            LogFileMissing(logger, path);
        else if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
            LogReadableByOthers(logger, path);
        var registry = new ProviderRegistry(path, envKeys, envBaseUrls, ProvidersFile.Read(path));
        LogLoaded(logger, registry.All.Count == 0 ? "none"
            : string.Join(", ", registry.All.Select(p => $"{p.Name} (key: {ProviderText.ToText(p.KeySource)})")));
        return registry;
    }

    public Provider? Get(string name) => _snapshot.ByName.GetValueOrDefault(name);

    /// <summary>Providers sorted by name.</summary>
    public IReadOnlyList<Provider> All => _snapshot.All;

    public IReadOnlyList<string> Names => _snapshot.Names;

    /// <summary>
    /// Adds or updates a provider in providers.json. An omitted or empty field keeps what the file has (for the key
    /// too: a blank key never erases the stored one). A key from the environment is never written, whatever happens.
    /// Save failures (disk full, permissions) throw and leave the registry unchanged.
    /// </summary>
    public ProviderChange Upsert(string name, string? baseUrl, string? apiKey, string? auth, string? apiFormat)
    {
        if (!ProviderText.IsValidName(name))
            return ProviderChange.Invalid($"provider name '{name}' must be lower-case letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit)");
        string? url = null, error = null;
        ProviderAuth parsedAuth = default;
        ApiFormat parsedFormat = default;
        if ((Given(baseUrl) is { } u && !ProviderText.TryNormalizeUrl(u, out url, out error))
            || (Given(auth) is { } a && !ProviderText.TryParseAuth(a, out parsedAuth, out error))
            || (Given(apiFormat) is { } f && !ProviderText.TryParseFormat(f, out parsedFormat, out error)))
            return ProviderChange.Invalid(error!);
        string? key = Given(apiKey);
        if (key is not null && !ProviderText.IsValidKey(key))
            return ProviderChange.Invalid("api_key must be visible ASCII with no spaces (a masked key cannot be saved back)");

        lock (_write)
        {
            var file = new Dictionary<string, ProviderFileEntry>(_snapshot.File, StringComparer.Ordinal);
            bool created = !_snapshot.ByName.ContainsKey(name);
            var old = file.GetValueOrDefault(name);
            var entry = new ProviderFileEntry(
                url ?? old?.BaseUrl,
                key is null ? old?.ApiKey : new Secret(key),
                Given(auth) is null ? old?.Auth : parsedAuth,
                Given(apiFormat) is null ? old?.Format : parsedFormat);
            if (entry.BaseUrl is null && ProviderDefaults.For(name) is null && !_envBaseUrls.ContainsKey(name))
                return ProviderChange.Invalid($"base_url is required: '{name}' has no built-in default");
            file[name] = entry;
            ProvidersFile.Save(_path, file);
            _snapshot = Resolve(file);
            return new ProviderChange(_snapshot.ByName[name], null, created);
        }
    }

    /// <summary>
    /// Removes a provider from providers.json; false when the file had no such provider. One that also comes from
    /// the environment stays, resolved from the environment and defaults alone.
    /// </summary>
    public bool Delete(string name)
    {
        lock (_write)
        {
            if (!_snapshot.File.ContainsKey(name))
                return false;
            var file = new Dictionary<string, ProviderFileEntry>(_snapshot.File, StringComparer.Ordinal);
            file.Remove(name);
            ProvidersFile.Save(_path, file);
            _snapshot = Resolve(file);
            return true;
        }
    }

    static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    Snapshot Resolve(Dictionary<string, ProviderFileEntry> file)
    {
        var providers = new Dictionary<string, Provider>(StringComparer.Ordinal);
        foreach (var name in file.Keys.Concat(_envKeys.Keys).Concat(_envBaseUrls.Keys).Distinct())
        {
            if (Resolve(name, file.GetValueOrDefault(name)) is { } p)
                providers[name] = p;
        }
        return new Snapshot(file.ToFrozenDictionary(StringComparer.Ordinal), providers.ToFrozenDictionary(StringComparer.Ordinal));
    }

    Provider? Resolve(string name, ProviderFileEntry? file)
    {
        var defaults = ProviderDefaults.For(name);
        string? baseUrl = _envBaseUrls.GetValueOrDefault(name) ?? file?.BaseUrl ?? defaults?.BaseUrl;
        if (baseUrl is null)
            return null;
        var (key, source) = _envKeys.GetValueOrDefault(name) is { IsEmpty: false } env ? (env, KeySource.Environment)
            : file?.ApiKey is { } stored ? (stored, KeySource.File)
            : ((Secret?)null, KeySource.None);
        return new Provider(name, baseUrl.TrimEnd('/'), key,
            file?.Auth ?? defaults?.Auth ?? ProviderAuth.Bearer,
            file?.Format ?? defaults?.Format ?? ApiFormat.OpenAI,
            source);
    }

    sealed class Snapshot(FrozenDictionary<string, ProviderFileEntry> file, FrozenDictionary<string, Provider> byName)
    {
        public FrozenDictionary<string, ProviderFileEntry> File { get; } = file;
        public FrozenDictionary<string, Provider> ByName { get; } = byName;
        public IReadOnlyList<string> Names { get; } = byName.Keys.Order(StringComparer.Ordinal).ToArray();
        public IReadOnlyList<Provider> All { get; } = byName.Values.OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Auth directory {Dir} does not exist; providers come from the environment only")]
    static partial void LogDirMissing(ILogger logger, string dir);

    [LoggerMessage(Level = LogLevel.Information, Message = "No {File}; providers come from the environment until one is saved")]
    static partial void LogFileMissing(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} holds API keys but is readable by group or others; chmod 600 it")]
    static partial void LogReadableByOthers(ILogger logger, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Providers: {Providers}")]
    static partial void LogLoaded(ILogger logger, string providers);
}
