using Cllama.Dashboard;

namespace Cllama.Tests.Dashboard;

public class SessionStoreTests
{
    sealed class ManualTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Sessions_have_distinct_random_ids_and_csrf_tokens()
    {
        var store = new SessionStore(TimeProvider.System);
        var a = store.Create();
        var b = store.Create();
        Assert.NotEqual(a.Id, b.Id);
        Assert.NotEqual(a.Csrf, a.Id);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", a.Id);
        Assert.Same(a, store.Find(a.Id));
    }

    [Fact]
    public void A_session_expires_after_its_lifetime()
    {
        var time = new ManualTime();
        var store = new SessionStore(time);
        var s = store.Create();
        time.Now += SessionStore.Lifetime - TimeSpan.FromSeconds(1);
        Assert.NotNull(store.Find(s.Id));
        time.Now += TimeSpan.FromSeconds(2);
        Assert.Null(store.Find(s.Id));
    }

    [Fact]
    public void The_store_is_bounded_and_drops_the_oldest()
    {
        var time = new ManualTime();
        var store = new SessionStore(time);
        var first = store.Create();
        for (int i = 0; i < SessionStore.MaxSessions + 10; i++)
        {
            time.Now += TimeSpan.FromSeconds(1);
            store.Create();
        }
        Assert.Equal(SessionStore.MaxSessions, store.Count);
        Assert.Null(store.Find(first.Id));
    }

    [Fact]
    public void Removed_sessions_and_unknown_ids_are_not_found()
    {
        var store = new SessionStore(TimeProvider.System);
        var s = store.Create();
        store.Remove(s);
        Assert.Null(store.Find(s.Id));
        Assert.Null(store.Find(""));
        Assert.Null(store.Find(null));
    }

    [Fact]
    public void A_flash_message_is_shown_once()
    {
        var s = new SessionStore(TimeProvider.System).Create();
        s.SetFlash("Saved", isError: false);
        Assert.Equal(("Saved", false), s.TakeFlash());
        Assert.Null(s.TakeFlash());
    }
}
