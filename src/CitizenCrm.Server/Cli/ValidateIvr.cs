using CitizenCrm.Core.Phone;
using CitizenCrm.Ivr.Scripts;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Cli;

/// <summary>`validate-ivr [--folder PATH]`: checks the phone scripts as the server would at start, without starting it.</summary>
internal static class ValidateIvr
{
    public static async Task<int> RunAsync(CommandLine.Options options)
    {
        string folder;
        IReadOnlyDictionary<string, string>? notices;
        await using (var app = CommandLine.BuildServices(options))
        {
            var phone = app.Services.GetRequiredService<IOptions<PhoneOptions>>().Value;
            folder = ScriptStore.ResolveFolder(options.Get("folder") ?? phone.ScriptsFolder);
            notices = phone.DataProtectionNotice;
        }
        try
        {
            var script = ScriptLoader.Load(folder, notices);
            Console.WriteLine($"The phone scripts in {folder} are valid: {script.States.Count} states, prompts in {string.Join(", ", IvrScript.Languages)}.");
            return 0;
        }
        catch (ScriptException ex)
        {
            Console.Error.WriteLine($"The phone scripts in {folder} have {ex.Problems.Count} problem(s):");
            foreach (var p in ex.Problems) Console.Error.WriteLine("  " + p);
            return 1;
        }
    }
}
