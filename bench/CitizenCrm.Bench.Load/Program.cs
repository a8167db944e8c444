using CitizenCrm.Bench.Load;

// Out-of-process HTTP load generators for CitizenCRM (issue 15). Each command starts the server's Release build as a
// separate process on a loopback port and a copy of the data folder, measures, stops it, and prints its table.
var generators = new (string Name, string Usage, Func<BenchOptions, Task<int>> Run)[]
{
    ("phone", PhoneBench.Usage, PhoneBench.RunAsync),
    ("appends-http", AppendsBench.Usage, AppendsBench.RunAsync),
    ("pages-http", PagesBench.Usage, PagesBench.RunAsync),
    ("registrations", RegistrationsBench.Usage, RegistrationsBench.RunAsync),
    ("dispatch", ReadersBench.DispatchUsage, ReadersBench.DispatchAsync),
    ("reports", ReadersBench.ReportsUsage, ReadersBench.ReportsAsync),
    ("startup", StartupBench.Usage, StartupBench.RunAsync),
};

try
{
    var options = BenchOptions.Parse(args);
    var generator = generators.FirstOrDefault(g => g.Name == options.Command);
    if (generator.Run is null)
    {
        if (options.Command is not ("help" or "--help")) Console.Error.WriteLine($"Unknown generator '{options.Command}'.");
        Console.WriteLine("Usage: dotnet run -c Release --project bench/CitizenCrm.Bench.Load -- <generator> [options]");
        Console.WriteLine("First: dotnet build src/CitizenCrm.Server -c Release   (the server these start, as a separate process)");
        Console.WriteLine();
        foreach (var g in generators) Console.WriteLine("  " + g.Usage);
        Console.WriteLine();
        Console.WriteLine("Options every generator takes:");
        Console.WriteLine("  --data FOLDER          a server data folder (a demo city); the server runs on a copy of it (without: an empty database)");
        Console.WriteLine("  --in-place             run on FOLDER itself instead of a copy (it is written to)");
        Console.WriteLine("  --seconds N            measured seconds per level (default 10; 3 for dispatch and reports)");
        Console.WriteLine("  --warmup N             unmeasured seconds before each level (default 2)");
        Console.WriteLine("  --group-commit B       true or false: passed to the server as --Database:GroupCommit=B (default: the server's own)");
        Console.WriteLine("  --server-setting K=V   more server settings, comma-separated, e.g. Database:Synchronous=NORMAL");
        Console.WriteLine("  --server-env N=V       environment variables for the server, comma-separated, e.g. DOTNET_gcServer=0");
        Console.WriteLine("  --host ADDRESS         loopback only: 127.0.0.1 (default), ::1 or localhost");
        Console.WriteLine("  --server-dll PATH      default: src/CitizenCrm.Server/bin/Release/net10.0/CitizenCrm.Server.dll");
        return options.Command is "help" or "--help" ? 0 : 2;
    }
    return await generator.Run(options);
}
catch (BenchException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
