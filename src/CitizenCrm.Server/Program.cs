using CitizenCrm.Server.Cli;
using CitizenCrm.Server.Hosting;

// `dotnet run -- <verb>` runs a command-line verb (migrate, create-admin, ...); no verb serves the API.
if (args.Length > 0 && !args[0].StartsWith('-'))
    return await CommandLine.RunAsync(args);

var app = ServerApp.Build(args);
await app.RunAsync();
return 0;

/// <summary>Visible to the test host (WebApplicationFactory&lt;Program&gt;).</summary>
public partial class Program;
