namespace Cllama.Config;

/// <summary>
/// Calls <c>refresh</c> every <c>interval</c> in the background until disposed: how the registries keep the files
/// on disk (agents, policy.json) fresh. Dispose stops the timer and waits for a refresh in progress to finish.
/// </summary>
sealed class BackgroundPoll : IDisposable
{
    readonly PeriodicTimer _timer;
    readonly Task _loop;

    public BackgroundPoll(TimeSpan interval, Action refresh)
    {
        _timer = new PeriodicTimer(interval);
        _loop = RunAsync(refresh);
    }

    async Task RunAsync(Action refresh)
    {
        while (await _timer.WaitForNextTickAsync().ConfigureAwait(false))
            refresh();
    }

    public void Dispose()
    {
        _timer.Dispose();
        _loop.GetAwaiter().GetResult();
    }
}
