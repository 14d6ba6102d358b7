using Cllama.Daemon;

return await Cli.RunAsync(args).ConfigureAwait(false);
