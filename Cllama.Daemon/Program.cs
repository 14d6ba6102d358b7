using Cllama.Daemon;

// Socket completions run on the runtime's epoll threads instead of hopping to the thread pool (Kestrel's "unsafe
// inline scheduling"): proxy throughput +7-18%, /health +13% on 2 cores (bench/results/latest.md). Safe here because
// no request path blocks its thread: files are read by background pollers, the ledger and the request log are
// awaited, the dashboard's providers.json writes run on the thread pool, and a stalled stderr drops log lines.
// The runtime reads the variable once, before the first socket, so it is set first thing; an operator's own value wins.
const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
    Environment.SetEnvironmentVariable(InlineCompletions, "1");

return await Cli.RunAsync(args).ConfigureAwait(false);
