using CitizenCrm.Bench.InProcess;
using CitizenCrm.Bench.InProcess.Micro;

// One verb per benchmark; each prints its table and stops by itself. See README.md beside this file.
const string Project = "dotnet run -c Release --project bench/CitizenCrm.Bench.InProcess --";
if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
{
    Console.WriteLine($"Usage: {Project} <verb> [options]");
    Console.WriteLine($"  {Appends.Usage}");
    Console.WriteLine($"  {Pages.Usage}");
    Console.WriteLine($"  {MicroBenchmarks.Usage}");
    return args.Length == 0 ? 2 : 0;
}
var verb = args[0];
var rest = args.Skip(1).ToList();
try
{
    return verb switch
    {
        "appends" => await Appends.RunAsync(Arguments.Parse(verb, rest)),
        "pages" => await Pages.RunAsync(Arguments.Parse(verb, rest)),
        "micro" => MicroBenchmarks.Run(rest, $"{Project} {string.Join(' ', args)}"),
        _ => Unknown(verb),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

static int Unknown(string verb)
{
    Console.Error.WriteLine($"Unknown verb '{verb}': appends, pages or micro (help lists their options).");
    return 2;
}
