using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CitizenCrm.Tests.Phone;

/// <summary>
/// No CNP, PIN or phone number in any log line (README, Configuration). The whole log is captured, every category at
/// Trace, while staff register, search and fail to sign in and a caller goes through identification; then every line
/// is scanned for anything shaped like a CNP, a phone number, or one of the PINs this test knows, however spelled.
/// </summary>
public class LogPrivacyTests : PhoneCallTest
{
    /// <summary>
    /// The caller's PIN, set through the server's own hasher so the test knows it (issued PINs are random). It starts with
    /// 0 so that no byte count, duration, status or event id can spell it by chance: those never start with 0.
    /// </summary>
    private const string KnownPin = "0517";

    private const string WrongPin = "0962";

    // 13 digits in a row is a CNP; 12 is one without its check digit (both are refused).
    private static readonly Regex CnpShaped = new(@"(?<!\d)\d{12,13}(?!\d)", RegexOptions.Compiled);

    // +40 7xx xxx xxx, 0040…, %2B40… (URL-encoded) or 07xx xxx xxx, with any spaces, dots, dashes, slashes or brackets between
    // digits; and the 9-digit national number alone (745123987).
    private static readonly Regex PhoneShaped = new(
        @"(?:(?:\+|%2[bB]|(?<!\d)00)[\s\-./()]*4[\s\-./()]*0|(?<!\d)0)[\s\-./()]*7(?:[\s\-./()]*\d){8}(?!\d)|(?<!\d)7\d{8}(?!\d)", RegexOptions.Compiled);

    // Identifiers made of hex or base64 (GUIDs, CallSids, trace ids, hashes) contain digit runs by chance: blank them first.
    private static readonly Regex Identifier = new(
        @"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{16,}", RegexOptions.Compiled);

    /// <summary>The PIN as a number of its own: not inside a longer number (1502 in 21502 or 12.1502 ms is not a PIN).</summary>
    private static readonly Regex GuidShaped = new(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", RegexOptions.Compiled);

    private static Regex PinShaped(string pin) => new($@"(?<!\d)(?<!\d[.,]){pin}(?!\d)(?![.,]\d)");

    public static IEnumerable<string> Leaks(IEnumerable<string> lines, IReadOnlyCollection<string> pins)
    {
        foreach (var line in lines)
        {
            // A GUID's last group is twelve digits one time in 280 ((10/16)^12): Quartz's lock owners are GUIDs.
            var noGuids = GuidShaped.Replace(line, "#guid");
            if (CnpShaped.Match(noGuids) is { Success: true } cnp) yield return $"CNP-shaped '{cnp.Value}' in: {line}";
            if (PhoneShaped.Match(noGuids) is { Success: true } phone) yield return $"phone-shaped '{phone.Value}' in: {line}";
            var plain = Identifier.Replace(line, "#id");
            foreach (var pin in pins)
                if (PinShaped(pin).Match(plain) is { Success: true }) yield return $"PIN {pin} in: {line}";
        }
    }

    [Test]
    public void The_scan_finds_each_spelling_and_ignores_numbers_that_merely_contain_the_digits()
    {
        string[] pins = ["1502"];
        string[] leaking =
        [
            "Pin=1502", "PIN 1502", "Digits=1502&x", "pin:1502.", "{\"pin\":\"1502\"}", "1502",
            "national id 1850301011234", "cnp=185030101123", "From=+40745123987", "From=%2B40745123987", "0745 123 987", "0745-123-987",
            "+40 (745) 123.987", "0040745123987", "745123987",
        ];
        string[] clean =
        [
            "Request finished in 12.1502ms", "21502 bytes", "15020 rows", "call CA1502ab3f5e9d4c77a0b1c2d3e4f5a6b7c8", "id 0b6c1502-9d1c-4c55-9a51-2b0f3c3a7d10", "lock owner 879d1173-fe6c-4c2a-9da9-657818827894",
            "+4074*****87", "*********1234", "year 2026", "status 200", "sha AB12CD1502EF34567890AB12CD34EF56",
        ];
        foreach (var line in leaking) Assert.That(Leaks([line], pins), Is.Not.Empty, line);
        foreach (var line in clean) Assert.That(Leaks([line], pins), Is.Empty, line);
    }

    [Test]
    public async Task Calls_registrations_searches_and_failed_sign_ins_leave_no_CNP_PIN_or_phone_number_in_the_log()
    {
        var lines = new ConcurrentQueue<string>();
        using var logged = App.WithWebHostBuilder(b =>
        {
            b.UseSetting("Logging:LogLevel:Default", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft", "Trace");
            b.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
            b.UseSetting("Logging:LogLevel:System", "Trace");
            b.ConfigureTestServices(s => s.AddLogging(l => l.AddProvider(new CapturingProvider(lines)).SetMinimumLevel(LogLevel.Trace)));
        });
        var clerk = logged.CreateClient();
        clerk.DefaultRequestHeaders.Authorization = new("Bearer", await App.SignIn("test-clerk", CrmTestApp.Password));

        // Registration at the desk, with the phone in the spelling people write, and a PIN issued (shown once).
        var cnp = TestData.NewCnp(sex: 2);
        var registered = await clerk.PostAsJsonAsync("/api/citizens", new { nationalId = cnp, firstName = "Radu", lastName = "Pop", phones = new[] { "0745 123 987" } });
        Assert.That((int)registered.StatusCode, Is.EqualTo(201), await registered.Content.ReadAsStringAsync());
        var citizen = await registered.ReadJson<Citizen>();
        // Issued PINs are random; the desk issues again until one starts with 0 (see KnownPin), so a match is never chance.
        IssuedPhonePin issued;
        var issues = 0;
        do issued = await (await clerk.PostAsync($"/api/citizens/{citizen.Id}/phone-pin", null)).ReadJson<IssuedPhonePin>();
        while (!issued.Pin.StartsWith('0') && ++issues < 300);
        Assert.That(issued.Pin, Does.StartWith("0"));
        // A duplicate registration is refused (its problem names no CNP) and a bad one too.
        await clerk.PostAsJsonAsync("/api/citizens", new { nationalId = cnp, firstName = "Radu", lastName = "Pop" });
        await clerk.PostAsJsonAsync("/api/citizens", new { nationalId = cnp[..12] + "9", firstName = "Radu", lastName = "Pop", phones = new[] { "+40 745 123 987" } });

        // Searches by CNP, by phone in two spellings, by name.
        await clerk.PostAsJsonAsync("/api/citizens/search", new { nationalId = cnp });
        await clerk.PostAsJsonAsync("/api/citizens/search", new { phone = "+40745123987" });
        await clerk.PostAsJsonAsync("/api/citizens/search", new { phone = "0745.123.987" });
        await clerk.PostAsJsonAsync("/api/citizens/search", new { name = "radu pop" });

        // Failed sign-ins: a wrong password, an unknown user.
        var anonymous = logged.CreateClient();
        await anonymous.PostAsJsonAsync("/api/auth/sign-in", new { username = "test-clerk", password = "wrong-password" });
        await anonymous.PostAsJsonAsync("/api/auth/sign-in", new { username = "nobody", password = "wrong-password" });

        // A call: the caller's PIN set to one the test knows, a wrong PIN first, then the right one, menus, a hang-up.
        var hasher = App.Services.GetRequiredService<PhonePinHasher>();
        using (var db = App.OpenDatabase())
            db.Execute("UPDATE citizens SET pin_hash = @hash WHERE id = @id", new { hash = hasher.Hash(citizen.Id, KnownPin), id = citizen.Id });
        var call = new TwilioPhone(logged.CreateClient(), "CA" + Guid.NewGuid().ToString("N"), "+40745123987");
        await call.Dial();
        await call.Press("1");
        await call.Press(cnp + "#");
        await call.Press(WrongPin);             // a wrong PIN, logged as a failure
        await call.Press(cnp + "#");
        var menu = await call.Press(KnownPin);
        Assert.That(menu.Text, Does.Contain("Radu"), "the caller must get through, so the whole identification is logged");
        await call.Press("1");
        await call.Press("1");
        await call.Press("0");
        await call.Hangup();

        Assert.That(lines, Has.Some.Contains("PhoneTurn"), "the capture must see the phone turns");
        Assert.That(lines, Has.Some.Contains("Microsoft.AspNetCore.Hosting"), "the capture must see the framework's request lines");
        Assert.That(lines, Has.Some.Contains("FindCitizens handled"), "the capture must see the searches");
        Assert.That(lines, Has.Some.Contains("RegisterCitizen handled"), "the capture must see the registrations");
        Assert.That(lines, Has.Some.Contains("/api/auth/sign-in"), "the capture must see the failed sign-ins");
        var leaks = Leaks(lines, [KnownPin, WrongPin, issued.Pin]).Distinct().ToList();
        Assert.That(leaks, Is.Empty);
    }
}
