using System.Net.Mail;
using CitizenCrm.Core.Common;
using PhoneNumbers;

namespace CitizenCrm.Core.Citizens;

/// <summary>The fields a clerk types when registering or correcting a citizen.</summary>
public sealed record CitizenDetails(
    string? FirstName,
    string? LastName,
    DateOnly? DateOfBirth = null,
    string? Address = null,
    IReadOnlyList<string>? Phones = null,
    IReadOnlyList<string>? Emails = null,
    string? PreferredLanguage = null)
{
    public void Validate(Validation v)
    {
        if (v.Required("firstName", FirstName, "The first name")) v.MaxLength("firstName", FirstName, 100, "The first name");
        if (v.Required("lastName", LastName, "The last name")) v.MaxLength("lastName", LastName, 100, "The last name");
        v.MaxLength("address", Address, 500, "The address");
        if (PreferredLanguage is not null && !Languages.All.Contains(PreferredLanguage))
            v.Add("preferredLanguage", "The preferred language must be ro, en or hu.");
        for (var i = 0; i < (Phones?.Count ?? 0); i++)
            if (PhoneNumber.ToE164(Phones![i]) is null)
                v.Add($"phones[{i}]", $"'{Phones[i]}' is not a phone number we can call. Write it as +40722123456 or 0722 123 456.");
        for (var i = 0; i < (Emails?.Count ?? 0); i++)
            if (!MailAddress.TryCreate(Emails![i], out var mail) || mail.Address != Emails[i].Trim())
                v.Add($"emails[{i}]", $"'{Emails[i]}' is not an e-mail address.");
        if (DateOfBirth is { } dob && dob.Year < 1890) v.Add("dateOfBirth", "The date of birth is too far in the past.");
    }

    public string[] NormalizedPhones() => (Phones ?? []).Select(p => PhoneNumber.ToE164(p)!).Distinct().ToArray();
    public string[] NormalizedEmails() => (Emails ?? []).Select(e => e.Trim().ToLowerInvariant()).Distinct().ToArray();
}

public static class PhoneNumber
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>E.164 form of a number typed by a clerk or sent by Twilio; national numbers are read as Romanian.</summary>
    public static string? ToE164(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32) return null;
        try
        {
            var number = Util.Parse(text, "RO");
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    /// <summary>
    /// A caller's number as Twilio sends it (already E.164). Kept as sent when the number library does not know its range
    /// (a range assigned after the library's metadata): refusing it would leave a dispatcher nothing to call back.
    /// </summary>
    public static string? FromCarrier(string? text) =>
        ToE164(text) ?? (text is not null && System.Text.RegularExpressions.Regex.IsMatch(text, @"^\+[1-9][0-9]{6,14}$") ? text : null);

    /// <summary>"+407******67" (the first 4 characters and the last 2) for summaries and logs.</summary>
    public static string Mask(string? e164) =>
        string.IsNullOrEmpty(e164) ? "unknown number"
        : e164.Length <= 6 ? new string('*', e164.Length)
        : e164[..4] + new string('*', e164.Length - 6) + e164[^2..];
}
