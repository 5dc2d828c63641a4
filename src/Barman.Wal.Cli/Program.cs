using Barman.Wal.Cli;

return await BarmanWalCli.RunAsync(args, Console.Out, Console.Error, ownsProcess: true).ConfigureAwait(false);
