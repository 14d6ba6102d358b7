using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Cllama.Dashboard;

/// <summary>A logged-in browser. The cookie carries only <see cref="Id"/>; the token itself never leaves the server.</summary>
public sealed class DashboardSession(string id, string csrf, DateTimeOffset expires)
{
    public string Id { get; } = id;
    /// <summary>Embedded in each page and required back on every state-changing request made with this cookie.</summary>
    public string Csrf { get; } = csrf;
    public DateTimeOffset Expires { get; } = expires;
    /// <summary>A one-shot message for the next page (the outcome of a form post), shown once.</summary>
    public void SetFlash(string message, bool isError) => Interlocked.Exchange(ref _flashBox, new(message, isError));

    public (string Message, bool IsError)? TakeFlash() => Interlocked.Exchange(ref _flashBox, null) is { } f ? (f.Message, f.IsError) : null;

    sealed record FlashBox(string Message, bool IsError);
    FlashBox? _flashBox;
}

/// <summary>
/// Random session ids mapped server-side, so logging out (or a restart) really ends a session, and a stolen cookie
/// never reveals the operator token. Bounded, so a burst of logins cannot grow memory without limit.
/// </summary>
public sealed class SessionStore(TimeProvider time)
{
    /// <summary>Twelve hours: a working day at the dashboard without logging in again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    /// <summary>Far more browsers than one operator uses; past it the oldest session goes.</summary>
    internal const int MaxSessions = 256;

    readonly ConcurrentDictionary<string, DashboardSession> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public DashboardSession Create()
    {
        var now = time.GetUtcNow();
        Prune(now);
        var session = new DashboardSession(NewId(), NewId(), now + Lifetime);
        _sessions[session.Id] = session;
        return session;
    }

    public DashboardSession? Find(string? id)
    {
        // 256-bit random ids: a dictionary lookup leaks nothing an attacker can use to guess one.
        if (string.IsNullOrEmpty(id) || !_sessions.TryGetValue(id, out var session))
            return null;
        if (session.Expires > time.GetUtcNow())
            return session;
        _sessions.TryRemove(id, out _);
        return null;
    }

    public void Remove(DashboardSession session) => _sessions.TryRemove(session.Id, out _);

    void Prune(DateTimeOffset now)
    {
        foreach (var (id, s) in _sessions)
            if (s.Expires <= now)
                _sessions.TryRemove(id, out _);
        while (_sessions.Count >= MaxSessions)
        {
            var oldest = _sessions.Values.MinBy(s => s.Expires);
            if (oldest is null)
                break;
            _sessions.TryRemove(oldest.Id, out _);
        }
    }

    static string NewId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
