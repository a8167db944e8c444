using CitizenCrm.Core.Phone;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Ivr.Scripts;

/// <summary>
/// The scripts in use. Loaded at start (a bad script stops the start, naming file and line); an admin's reload
/// swaps them only when the new files pass every check, so a bad edit never replaces the last good scripts.
/// </summary>
public sealed class ScriptStore(IOptions<PhoneOptions> options, ILogger<ScriptStore> logger)
{
    private IvrScript? _current;
    private readonly Lock _gate = new();

    public string Folder => ResolveFolder(options.Value.ScriptsFolder);

    public static string ResolveFolder(string? configured) =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(AppContext.BaseDirectory, "ivr-scripts") : configured);

    public IvrScript Current
    {
        get
        {
            if (_current is { } script) return script;
            lock (_gate) return _current ??= Load();
        }
    }

    /// <summary>Throws <see cref="ScriptException"/> with every problem; the scripts in use stay as they were.</summary>
    public IvrScript Reload()
    {
        var script = Load();
        lock (_gate) _current = script;
        logger.LogInformation("Phone scripts reloaded from {Folder}", Folder);
        return script;
    }

    private IvrScript Load() => ScriptLoader.Load(Folder, options.Value.DataProtectionNotice);
}
