using System.Security.Cryptography;
using System.Text;
using Cllama.Config;
using Microsoft.Extensions.Logging;

namespace Cllama.Dashboard;

/// <summary>Where the operator token came from: it decides what the start-up log line may print.</summary>
public enum UiTokenSource { Environment, File, Generated, Ephemeral }

/// <summary>
/// The dashboard's operator token (CONTRACT §8): <c>CLAW_UI_TOKEN</c>, else the one kept in
/// <c>CLAW_STATE_DIR/ui-token</c>, else a new one (32 random bytes, hex) written there with mode 0600, so a restart
/// keeps the operator's bookmark working.
/// </summary>
public static partial class UiTokenStore
{
    public const string FileName = "ui-token";

    public static (Secret Token, UiTokenSource Source) Resolve(ProxyConfig config, ILogger logger)
    {
        if (config.UiToken is { IsEmpty: false } fromEnv)
            return (fromEnv, UiTokenSource.Environment);
        string path = Path.Combine(config.StateDir, FileName);
        try
        {
            if (File.Exists(path))
            {
                string stored = File.ReadAllText(path).Trim();
                if (stored.Length >= 16)
                {
                    TightenMode(path, logger);
                    return (new Secret(stored), UiTokenSource.File);
                }
                LogTokenFileInvalid(logger, path);
            }
            var token = new Secret(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
            Save(path, token);
            return (token, UiTokenSource.Generated);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The dashboard must still be locked; a token that lives until restart is better than none.
            LogTokenNotPersisted(logger, path, e.Message);
            return (new Secret(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))), UiTokenSource.Ephemeral);
        }
    }

    static void Save(string path, Secret token) =>
        PrivateFile.WriteAtomic(path, stream => stream.Write(Encoding.ASCII.GetBytes(token.Reveal() + "\n")));

    static void TightenMode(string path, ILogger logger)
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (OperatingSystem.IsWindows() || ((File.GetUnixFileMode(path) & ~ownerOnly) == 0))
            return;
        File.SetUnixFileMode(path, ownerOnly);
        LogTokenModeFixed(logger, path);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard token file {Path} is empty or too short; generating a new token")]
    static partial void LogTokenFileInvalid(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot keep the dashboard token in {Path} ({Problem}); this token lasts until restart")]
    static partial void LogTokenNotPersisted(ILogger logger, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard token file {Path} was readable by others; its mode is now 0600")]
    static partial void LogTokenModeFixed(ILogger logger, string path);
}
