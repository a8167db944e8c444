using System.Globalization;
using CitizenCrm.Core.Holidays;

namespace CitizenCrm.Core.Phone;

/// <summary>Configuration section "Phone": everything a city changes without a rebuild.</summary>
public sealed class PhoneOptions
{
    /// <summary>The address Twilio calls, as Twilio sees it (behind a proxy or tunnel this differs from Kestrel's),
    /// e.g. https://crm.primaria.example. Signatures are checked against it.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The Twilio account's auth token (from the environment: Phone__AuthToken). Signs every webhook.</summary>
    public string? AuthToken { get; set; }

    /// <summary>Development only: accept unsigned webhooks. The server warns loudly at start when this is on.</summary>
    public bool SkipSignatureValidation { get; set; }

    /// <summary>Folder holding flow.yaml and prompts.{ro,en,hu}.yaml; default: ivr-scripts beside the server binary.</summary>
    public string? ScriptsFolder { get; set; }

    public string QueueName { get; set; } = "operatori";

    /// <summary>After this long in the queue the caller is offered a message or a callback instead.</summary>
    public int MaxWaitSeconds { get; set; } = 300;

    /// <summary>Opening hours per weekday, local time in Bucharest, "08:00-16:30"; a missing day is closed.
    /// Legal holidays and declared non-working days are closed whatever this says.</summary>
    public Dictionary<string, string> OpeningHours { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Monday"] = "08:00-16:30", ["Tuesday"] = "08:00-16:30", ["Wednesday"] = "08:00-16:30",
        ["Thursday"] = "08:00-16:30", ["Friday"] = "08:00-14:00",
    };

    /// <summary>The voice per language. Polly has no Hungarian voice: hu needs a Google voice.</summary>
    public Dictionary<string, PhoneVoice> Voices { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ro"] = new() { Voice = "Polly.Carmen", Language = "ro-RO" },
        ["en"] = new() { Voice = "Polly.Amy", Language = "en-GB" },
        ["hu"] = new() { Voice = "Google.hu-HU-Standard-A", Language = "hu-HU" },
    };

    /// <summary>
    /// Greet a caller whose number is on file in that citizen's preferred language. Off by default: caller ID can be spoofed
    /// and a phone is shared, so a Hungarian greeting tells whoever calls from that number that it is registered with the city
    /// hall and hints at the holder's language (which can reveal ethnic origin, a special category under GDPR art. 9).
    /// Data minimisation and data protection by default (GDPR art. 5(1)(c), 25(2); Law 190/2018) weigh more than saving
    /// one key press: every caller hears the language options in their own language anyway.
    /// </summary>
    public bool GreetInPreferredLanguage { get; set; }

    /// <summary>The one-sentence data-protection notice, per language; when empty the script's prompt is used.</summary>
    public Dictionary<string, string> DataProtectionNotice { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the operators' desk is open at this instant (Bucharest time, working days only).</summary>
    public bool IsOpen(DateTimeOffset now, WorkingDays workingDays)
    {
        var local = TimeZoneInfo.ConvertTime(now, Common.Calendar.Bucharest);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (!workingDays.IsWorkingDay(day)) return false;
        if (!OpeningHours.TryGetValue(local.DayOfWeek.ToString(), out var span) || string.IsNullOrWhiteSpace(span)) return false;
        var (from, to) = ParseSpan(span);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return time >= from && time < to;
    }

    public static (TimeOnly From, TimeOnly To) ParseSpan(string span)
    {
        var parts = span.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from)
            || !TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to)
            || to <= from)
            throw new InvalidOperationException($"Phone:OpeningHours '{span}' must read like 08:00-16:30.");
        return (from, to);
    }
}

public sealed class PhoneVoice
{
    public string Voice { get; set; } = "";
    public string Language { get; set; } = "";
}
