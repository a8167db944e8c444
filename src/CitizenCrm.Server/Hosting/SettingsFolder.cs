namespace CitizenCrm.Server.Hosting;

/// <summary>
/// Where the server reads appsettings.json. ASP.NET takes the current folder as its content root, so
/// `dotnet /opt/citizencrm/CitizenCrm.Server.dll` started from elsewhere read no settings at all: every default
/// then applied, including request lines logged at Information with a GET webhook's caller number.
/// </summary>
public static class SettingsFolder
{
    /// <summary>
    /// The content root to use, or null to keep ASP.NET's (the current folder). The current folder wins when it holds
    /// appsettings.json (`dotnet run` starts in the project folder) or when a content root is given explicitly
    /// (--contentRoot, ASPNETCORE_CONTENTROOT, DOTNET_CONTENTROOT, as the test host does); otherwise the folder of
    /// the binary, where the build and publish put appsettings.json. Relative paths in the settings (the data folder
    /// "data") stay relative to the current folder, as for any command-line program.
    /// </summary>
    public static string? ContentRootFor(string[] args)
    {
        if (File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))) return null;
        if (args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))) return null;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"))) return null;
        return File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")) ? AppContext.BaseDirectory : null;
    }
}
