using Cllama.Config;
using Cllama.Dashboard;
using Cllama.Tests.Agents;

namespace Cllama.Tests.Dashboard;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UiTokenStoreTests : IDisposable
{
    readonly TempDir _dir = new();
    readonly CapturingLogger _log = new();

    ProxyConfig Config(string? envToken = null) => ConfigReader.Read(_ => null) with
    {
        StateDir = _dir.Combine("state"),
        UiToken = envToken is null ? null : new Secret(envToken),
    };

    string TokenFile => _dir.Combine("state", UiTokenStore.FileName);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Env_token_wins_and_nothing_is_written()
    {
        var (token, source) = UiTokenStore.Resolve(Config("operator-chosen-token-1234"), _log);
        Assert.Equal("operator-chosen-token-1234", token.Reveal());
        Assert.Equal(UiTokenSource.Environment, source);
        Assert.False(File.Exists(TokenFile));
    }

    [Fact]
    public void Generated_token_is_32_random_bytes_hex_in_a_0600_file_in_a_new_state_dir()
    {
        var (token, source) = UiTokenStore.Resolve(Config(), _log);
        Assert.Equal(UiTokenSource.Generated, source);
        Assert.Matches("^[0-9a-f]{64}$", token.Reveal());
        Assert.Equal(token.Reveal(), File.ReadAllText(TokenFile).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TokenFile));
        Assert.Empty(Directory.GetFiles(_dir.Combine("state"), "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_restart_reuses_the_stored_token()
    {
        var (first, _) = UiTokenStore.Resolve(Config(), _log);
        var (second, source) = UiTokenStore.Resolve(Config(), _log);
        Assert.Equal(first.Reveal(), second.Reveal());
        Assert.Equal(UiTokenSource.File, source);
    }

    [Fact]
    public void A_token_file_readable_by_others_is_tightened_with_a_warning()
    {
        var (first, _) = UiTokenStore.Resolve(Config(), _log);
        File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var (second, _) = UiTokenStore.Resolve(Config(), _log);
        Assert.Equal(first.Reveal(), second.Reveal());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(TokenFile));
        Assert.Contains(_log.Warnings, w => w.Contains("0600"));
    }

    [Fact]
    public void An_empty_token_file_is_replaced_by_a_new_token()
    {
        Directory.CreateDirectory(_dir.Combine("state"));
        File.WriteAllText(TokenFile, "\n");
        var (token, source) = UiTokenStore.Resolve(Config(), _log);
        Assert.Equal(UiTokenSource.Generated, source);
        Assert.Equal(token.Reveal(), File.ReadAllText(TokenFile).Trim());
        Assert.Contains(_log.Warnings, w => w.Contains("too short"));
    }

    [Fact]
    public void An_unwritable_state_dir_still_locks_the_dashboard_with_a_token_until_restart()
    {
        // A file where the directory should be: nothing can be created under it, whoever runs the test.
        File.WriteAllText(_dir.Combine("state"), "not a directory");
        var (token, source) = UiTokenStore.Resolve(Config(), _log);
        Assert.Equal(UiTokenSource.Ephemeral, source);
        Assert.Matches("^[0-9a-f]{64}$", token.Reveal());
        Assert.Contains(_log.Warnings, w => w.Contains("until restart") && !w.Contains(token.Reveal()));
    }
}
