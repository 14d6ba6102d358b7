using Cllama.Agents;

namespace Cllama.Tests.Agents;

public sealed class AgentRegistryTests : IDisposable
{
    /// <summary>CONTRACT §3: a change on disk takes effect within 2 s.</summary>
    static readonly TimeSpan ReloadPromise = TimeSpan.FromSeconds(2);

    readonly TempDir _dir = new();
    readonly CapturingLogger _log = new();

    string Root => _dir.Combine("context");

    void WriteAgent(string id, string json)
    {
        Directory.CreateDirectory(Path.Combine(Root, id));
        File.WriteAllText(Path.Combine(Root, id, "metadata.json"), json);
    }

    /// <summary>A registry whose background poll never fires during a test; tests drive it through Refresh.</summary>
    AgentRegistry Manual()
    {
        var r = new AgentRegistry(Root, _log, TimeSpan.FromHours(1));
        r.Start();
        return r;
    }

    /// <summary>Waits, on the registry's own Changed event, until the condition holds; returns how long that took.</summary>
    static async Task<TimeSpan> WaitForAsync(AgentRegistry registry, Func<bool> condition, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition())
                done.TrySetResult();
        }
        registry.Changed += Check;
        try
        {
            Check();
            await done.Task.WaitAsync(timeout);
            return DateTime.UtcNow - started;
        }
        finally
        {
            registry.Changed -= Check;
        }
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("Bearer tiverton:abc123", null)]
    [InlineData("bearer tiverton:abc123", null)]
    [InlineData("BEARER   tiverton:abc123  ", null)]
    [InlineData(null, "tiverton:abc123")]
    [InlineData("Basic dGl2ZXJ0b24=", "tiverton:abc123")]
    public void Authenticates_through_either_header(string? authorization, string? xApiKey)
    {
        WriteAgent("tiverton", """{"token":"tiverton:abc123","pod":"trading-desk"}""");
        using var registry = Manual();

        var result = registry.Authenticate(authorization, xApiKey);

        Assert.True(result.Succeeded);
        Assert.Equal("tiverton", result.Agent.Id);
        Assert.Equal("trading-desk", result.Agent.Pod);
    }

    [Fact]
    public void Bare_and_prefixed_tokens_both_take_id_colon_secret()
    {
        WriteAgent("tiverton", """{"token":"tiverton:abc123"}""");
        WriteAgent("westin", """{"token":"xyz789"}""");
        using var registry = Manual();

        Assert.Equal("tiverton", registry.Authenticate("Bearer tiverton:abc123", null).Agent?.Id);
        Assert.Equal("westin", registry.Authenticate("Bearer westin:xyz789", null).Agent?.Id);
        Assert.False(registry.Authenticate("Bearer xyz789", null).Succeeded);
        Assert.False(registry.Authenticate("Bearer tiverton:tiverton:abc123", null).Succeeded);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("Bearer", null)]
    [InlineData("Bearer ", null)]
    [InlineData("Basic tiverton:abc123", null)]
    [InlineData("Bearertiverton:abc123", null)]
    [InlineData("Bearer abc123", null)]
    [InlineData("Bearer :abc123", null)]
    [InlineData("Bearer tiverton:", null)]
    [InlineData("Bearer tiverton:abc12", null)]
    [InlineData("Bearer tiverton:abc1234", null)]
    [InlineData("Bearer tiverton:ABC123", null)]
    [InlineData("Bearer Tiverton:abc123", null)]
    [InlineData("Bearer nobody:abc123", null)]
    [InlineData("Bearer westin:abc123", null)]
    [InlineData(null, "tiverton:wrong")]
    [InlineData(null, "../tiverton:abc123")]
    [InlineData(null, "tiverton/..:abc123")]
    public void Every_failure_is_the_same_result(string? authorization, string? xApiKey)
    {
        WriteAgent("tiverton", """{"token":"tiverton:abc123"}""");
        WriteAgent("westin", """{"token":"westin:other"}""");
        using var registry = Manual();

        Assert.Equal(AuthResult.Failed, registry.Authenticate(authorization, xApiKey));
    }

    [Fact]
    public void Ids_outside_the_grammar_never_reach_a_directory()
    {
        WriteAgent("tiverton", """{"token":"s3cret"}""");
        // Valid metadata placed where only a path-traversing or hidden id could reach it.
        Directory.CreateDirectory(_dir.Combine("outside"));
        File.WriteAllText(_dir.Combine("outside", "metadata.json"), """{"token":"s3cret"}""");
        WriteAgent(".hidden", """{"token":"s3cret"}""");
        WriteAgent(Path.Combine("a", "b"), """{"token":"s3cret"}""");
        using var registry = Manual();

        Assert.Equal(["tiverton"], registry.All.Select(a => a.Id));
        foreach (var id in new[] { "../outside", ".hidden", "a/b", "..", "./tiverton" })
            Assert.Equal(AuthResult.Failed, registry.Authenticate($"Bearer {id}:s3cret", null));
    }

    [Fact]
    public void The_request_path_reads_no_files()
    {
        WriteAgent("tiverton", """{"token":"s3cret"}""");
        using var registry = Manual();

        Directory.Delete(Root, recursive: true);

        // Served from the cache: the next poll, not the request, notices the deletion.
        Assert.True(registry.Authenticate("Bearer tiverton:s3cret", null).Succeeded);
        registry.Refresh();
        Assert.False(registry.Authenticate("Bearer tiverton:s3cret", null).Succeeded);
    }

    [Fact]
    public async Task Added_rotated_and_removed_agents_take_effect_within_two_seconds()
    {
        WriteAgent("tiverton", """{"token":"tiverton:first-secret"}""");
        using var registry = new AgentRegistry(Root, _log);
        registry.Start();
        Assert.True(registry.Authenticate("Bearer tiverton:first-secret", null).Succeeded);

        WriteAgent("westin", """{"token":"westin:w-secret"}""");
        var added = await WaitForAsync(registry, () => registry.Authenticate(null, "westin:w-secret").Succeeded, ReloadPromise);

        // Same length on purpose: mtime granularity must not hide a rotation.
        WriteAgent("tiverton", """{"token":"tiverton:other-secret"}""");
        var rotated = await WaitForAsync(registry, () => registry.Authenticate("Bearer tiverton:other-secret", null).Succeeded, ReloadPromise);
        Assert.False(registry.Authenticate("Bearer tiverton:first-secret", null).Succeeded);

        Directory.Delete(Path.Combine(Root, "westin"), recursive: true);
        var removed = await WaitForAsync(registry, () => !registry.Authenticate(null, "westin:w-secret").Succeeded, ReloadPromise);

        Assert.Equal(["tiverton"], registry.All.Select(a => a.Id));
        Assert.All([added, rotated, removed], t => Assert.True(t < ReloadPromise, $"took {t}"));
    }

    [Fact]
    public void Malformed_metadata_is_ignored_with_one_warning()
    {
        WriteAgent("tiverton", """{"token":"s3cret"}""");
        WriteAgent("broken", """{"token": "s3cret",""");
        using var registry = Manual();
        registry.Refresh();
        registry.Refresh();

        Assert.Equal(["tiverton"], registry.All.Select(a => a.Id));
        var warning = Assert.Single(_log.Warnings, w => w.Contains("broken"));
        Assert.Contains(Path.Combine("broken", "metadata.json"), warning);
        Assert.DoesNotContain("s3cret", warning);

        WriteAgent("broken", """{"token":"fixed-now"}""");
        registry.Refresh();
        Assert.True(registry.Authenticate("Bearer broken:fixed-now", null).Succeeded);
    }

    [Fact]
    public void A_token_for_another_agent_defines_no_agent()
    {
        WriteAgent("tiverton", """{"token":"westin:s3cret"}""");
        using var registry = Manual();

        Assert.Empty(registry.All);
        Assert.False(registry.Authenticate("Bearer tiverton:s3cret", null).Succeeded);
        Assert.False(registry.Authenticate("Bearer westin:s3cret", null).Succeeded);
        Assert.Contains(_log.Warnings, w => w.Contains("other than 'tiverton'"));
    }

    [Fact]
    public void Directories_without_metadata_are_not_agents()
    {
        Directory.CreateDirectory(Path.Combine(Root, "empty"));
        WriteAgent("tiverton", """{"token":"s3cret","models":["openai/*"]}""");
        using var registry = Manual();

        var agent = Assert.Single(registry.All);
        Assert.Equal(["openai/*"], agent.Policy.Models!);
    }

    [Fact]
    public void A_missing_root_warns_once_and_is_picked_up_when_it_appears()
    {
        using var registry = Manual();
        registry.Refresh();
        Assert.Empty(registry.All);
        Assert.Single(_log.Warnings, w => w.Contains("does not exist"));

        int changes = 0;
        registry.Changed += () => changes++;
        WriteAgent("tiverton", """{"token":"s3cret"}""");
        registry.Refresh();
        registry.Refresh();

        Assert.True(registry.Authenticate("Bearer tiverton:s3cret", null).Succeeded);
        Assert.Equal(1, changes);
    }
}
