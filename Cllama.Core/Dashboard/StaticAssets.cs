using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Cllama.Dashboard;

/// <summary>One embedded file: its bytes, type and a strong ETag so browsers can revalidate instead of refetching.</summary>
public sealed record StaticAsset(string Name, byte[] Bytes, string ContentType, string ETag);

/// <summary>
/// The dashboard's HTML, CSS and JS, compiled into the binary as manifest resources (logical names
/// <c>dashboard/&lt;file&gt;</c>), read once. Manifest resources need no reflection, so this works under Native AOT.
/// </summary>
public static class StaticAssets
{
    const string Prefix = "dashboard/";

    static readonly FrozenDictionary<string, StaticAsset> s_assets = Load();

    /// <summary>A file by its name (<c>style.css</c>), or null.</summary>
    public static StaticAsset? Find(string name) => s_assets.GetValueOrDefault(name);

    /// <summary>A file that must exist (a page template).</summary>
    public static StaticAsset Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"dashboard asset '{name}' is not embedded");

    static FrozenDictionary<string, StaticAsset> Load()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, StaticAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal))
                continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            string name = resource[Prefix.Length..];
            string etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes), 0, 8) + "\"";
            assets[name] = new StaticAsset(name, bytes, ContentTypeOf(name), etag);
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
