using CitizenCrm.Core.Phone;
using CitizenCrm.Ivr.Scripts;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Phone;

/// <summary>
/// Loads and checks the phone scripts before the server takes calls (a bad script stops the start with every
/// problem's file and line), and says loudly when webhooks are not protected.
/// </summary>
public sealed class PhoneStartup(ScriptStore scripts, IOptions<PhoneOptions> options, ILogger<PhoneStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var script = scripts.Current;
        logger.LogInformation("Phone scripts loaded from {Folder}: {States} states in ro, en, hu", scripts.Folder, script.States.Count);
        var o = options.Value;
        foreach (var span in o.OpeningHours.Values.Where(v => !string.IsNullOrWhiteSpace(v))) PhoneOptions.ParseSpan(span);
        if (o.SkipSignatureValidation)
            logger.LogCritical("!!! Phone:SkipSignatureValidation is ON: Twilio webhooks are accepted WITHOUT signature checks. Development only — anyone can post fake calls. !!!");
        else if (string.IsNullOrEmpty(o.AuthToken) || string.IsNullOrEmpty(o.PublicBaseUrl))
            logger.LogWarning("Phone:AuthToken or Phone:PublicBaseUrl is not set: every Twilio webhook will be refused with 403 until both are configured.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
