using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Citizens;

public sealed class RegisterCitizenTests : ClerkTest
{
    [Test]
    public async Task Clerk_registers_a_citizen_and_sees_it_on_the_timeline()
    {
        var cnp = TestData.NewCnp();
        var citizen = await Clerk.RegisterCitizen(cnp, firstName: "Ștefan", lastName: "Szabó", phone: "0722 123 456");

        Assert.That(citizen.Phones, Is.EqualTo(new[] { "+407******56" }), "the answer masks the phone");
        var whole = await Clerk.GetFromJsonAsync<Citizen>($"/api/citizens/{citizen.Id}?reveal=true", Json.Options);
        Assert.That((whole!.Phones, whole.NationalId), Is.EqualTo((new[] { "+40722123456" }, cnp)), "stored in E.164, shown whole when asked");
        Assert.That(citizen.DateOfBirth, Is.EqualTo(new DateOnly(1985, 3, 1)), "date of birth is read from the CNP");
        var page = await Clerk.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/citizens/{citizen.Id}/timeline", Json.Options);
        var kinds = page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString());
        Assert.That(kinds, Is.EqualTo(new[] { "citizen.registered" }));
        var summary = page.GetProperty("events")[0].GetProperty("summary").GetString()!;
        Assert.That(summary, Does.Not.Contain(cnp), "the full CNP never appears in a summary");
        Assert.That(summary, Does.Contain(cnp[^4..]));
    }

    [TestCase("1850301011235", "last digit", TestName = "Wrong checksum is refused")]
    [TestCase("1850230011239", "not a real date", TestName = "30 February is refused")]
    [TestCase("1850301991230", "county code 99", TestName = "Unknown county 99 is refused")]
    [TestCase("185030101123", "13 digits", TestName = "Twelve digits are refused")]
    [TestCase("18503010112AB", "13 digits", TestName = "Letters are refused")]
    public async Task Invalid_cnp_is_refused_with_a_field_error(string cnp, string expected)
    {
        if (cnp.Length == 13 && cnp.All(char.IsAsciiDigit) && expected != "last digit")
            cnp = cnp[..12] + Cnp.CheckDigit(cnp.AsSpan(0, 12)); // only the named fault, checksum made right

        var response = await Clerk.PostAsJsonAsync("/api/citizens", new { nationalId = cnp, firstName = "Ana", lastName = "Pop" });

        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        var messages = problem.GetProperty("errors").GetProperty("nationalId").EnumerateArray().Select(m => m.GetString());
        Assert.That(messages, Has.Some.Contains(expected));
        using var db = App.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM citizens";
        Assert.That(count.ExecuteScalar(), Is.EqualTo(0L), "nothing half-written");
    }

    [Test]
    public async Task A_cnp_issued_since_May_2024_with_county_code_70_is_accepted()
    {
        var cnp = Cnp.Compose(6, new DateOnly(2024, 6, 12), 70, 123);
        Assert.That(Cnp.IsValid(cnp), Is.True);

        var citizen = await Clerk.RegisterCitizen(cnp, "Maria", "Kovács");

        Assert.That(citizen.DateOfBirth, Is.EqualTo(new DateOnly(2024, 6, 12)));
    }

    [Test]
    public async Task A_second_registration_of_the_same_cnp_is_a_conflict()
    {
        var cnp = TestData.NewCnp();
        await Clerk.RegisterCitizen(cnp);

        var again = await Clerk.PostAsJsonAsync("/api/citizens", new { nationalId = cnp, firstName = "Ion", lastName = "Altul" });

        var problem = await again.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("already registered"));
    }

    [Test]
    public async Task Malformed_json_and_missing_fields_get_400_with_field_errors()
    {
        var malformed = await Clerk.PostAsync("/api/citizens", new StringContent("{\"nationalId\": ", System.Text.Encoding.UTF8, "application/json"));
        await malformed.AssertProblem(HttpStatusCode.BadRequest);

        var wrongType = await Clerk.PostAsync("/api/citizens", new StringContent("{\"dateOfBirth\": \"soon\"}", System.Text.Encoding.UTF8, "application/json"));
        var typeProblem = await wrongType.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(typeProblem.ErrorFields(), Does.Contain("dateOfBirth"));

        var missing = await Clerk.PostAsJsonAsync("/api/citizens", new { phones = new[] { "not a phone" } });
        var problem = await missing.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.SupersetOf(new[] { "nationalId", "firstName", "lastName", "phones[0]" }));
    }
}

public sealed class MissingBodyTests : ClerkTest
{
    [Test]
    public async Task An_empty_body_or_a_non_json_body_gets_a_problem_a_person_can_read()
    {
        var empty = await Clerk.PostAsync("/api/citizens", null);
        var emptyProblem = await empty.AssertProblem(System.Net.HttpStatusCode.BadRequest);
        Assert.That(emptyProblem.GetProperty("detail").GetString(), Does.Contain("needs a JSON body"));

        var text = await Clerk.PostAsync("/api/citizens", new StringContent("nationalId=123", System.Text.Encoding.UTF8, "text/plain"));
        var textProblem = await text.AssertProblem(System.Net.HttpStatusCode.UnsupportedMediaType);
        Assert.That(textProblem.GetProperty("detail").GetString(), Does.Contain("application/json"));
    }
}

/// <summary>The birth date inside a CNP, read against today's date in Bucharest (a fixed clock: Sunday 10 May 2026).</summary>
public sealed class CnpBirthDateTests
{
    private FakeTimeProvider _clock = null!;
    private CrmTestApp _app = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero));
        _app = new CrmTestApp(clock: _clock);
    }

    [TearDown]
    public void TearDown() => _app.Dispose();

    // Signed in at the clock's time (a test that moves the clock first gets a fresh token).
    private async Task<HttpResponseMessage> Register(string cnp, string? dateOfBirth = null) =>
        await (await _app.ClientFor(StaffRole.Clerk)).PostAsJsonAsync("/api/citizens", new { nationalId = cnp, firstName = "Ana", lastName = "Pop", dateOfBirth });

    [Test]
    public async Task A_cnp_born_after_today_is_refused_and_one_born_today_is_accepted()
    {
        // 5 26 05 11 01 123 c: a boy born on 11 May 2026, tomorrow.
        var tomorrow = Cnp.Compose(5, new DateOnly(2026, 5, 11), 1, 123);
        var problem = await (await Register(tomorrow)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("nationalId")[0].GetString(),
            Is.EqualTo("The birth date inside this CNP (digits 2–7) is after today: check it was typed correctly."));
        using (var db = _app.OpenDatabase())
        using (var count = db.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM citizens";
            Assert.That(count.ExecuteScalar(), Is.EqualTo(0L), "nothing half-written");
        }

        var today = await Register(Cnp.Compose(6, new DateOnly(2026, 5, 10), 1, 124));
        Assert.That((int)today.StatusCode, Is.EqualTo(201), await today.Content.ReadAsStringAsync());
        Assert.That((await today.ReadJson<Citizen>()).DateOfBirth, Is.EqualTo(new DateOnly(2026, 5, 10)));
    }

    [Test]
    public async Task Today_is_the_Bucharest_date_not_the_UTC_date()
    {
        // 22:30 UTC on 10 May is 01:30 on 11 May in Bucharest (UTC+3 in summer): a child born on 11 May may be registered.
        _clock.SetUtcNow(new DateTimeOffset(2026, 5, 10, 22, 30, 0, TimeSpan.Zero));

        var response = await Register(Cnp.Compose(5, new DateOnly(2026, 5, 11), 1, 125));

        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        Assert.That((await response.ReadJson<Citizen>()).DateOfBirth, Is.EqualTo(new DateOnly(2026, 5, 11)));
    }

    [TestCase("7300512011236", "1930-05-12", TestName = "Foreign resident 7 30…: 2030 is in the future, so 1930")]
    [TestCase("8100512011235", "2010-05-12", TestName = "Foreign resident 8 10…: 2010, the latest reading not in the future")]
    [TestCase("9260511011233", "1926-05-11", TestName = "Foreigner 9 26 05 11: tomorrow in 2026, so 1926")]
    [TestCase("9260510011234", "2026-05-10", TestName = "Foreigner 9 26 05 10: today in 2026")]
    public async Task A_foreign_residents_cnp_takes_the_century_that_does_not_put_the_birth_in_the_future(string cnp, string expected)
    {
        cnp = cnp[..12] + Cnp.CheckDigit(cnp.AsSpan(0, 12)); // the check digit made right: the test is about the date

        var response = await Register(cnp);

        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        Assert.That((await response.ReadJson<Citizen>()).DateOfBirth, Is.EqualTo(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task A_clerk_may_give_the_other_century_of_a_foreign_residents_cnp_but_not_another_date()
    {
        // 7 10 05 12 …: born 12 May 2010 or 12 May 1910; the clerk has the residence permit in front of her.
        var cnp = Cnp.Compose(7, new DateOnly(1910, 5, 12), 1, 126);

        var other = await Register(cnp, "1910-05-12");
        Assert.That((int)other.StatusCode, Is.EqualTo(201), await other.Content.ReadAsStringAsync());
        Assert.That((await other.ReadJson<Citizen>()).DateOfBirth, Is.EqualTo(new DateOnly(1910, 5, 12)));
        var latest = await Register(Cnp.Compose(8, new DateOnly(2010, 5, 12), 1, 128), "2010-05-12");
        Assert.That((int)latest.StatusCode, Is.EqualTo(201), await latest.Content.ReadAsStringAsync());
        Assert.That((await latest.ReadJson<Citizen>()).DateOfBirth, Is.EqualTo(new DateOnly(2010, 5, 12)));

        var wrong = await Register(Cnp.Compose(8, new DateOnly(1985, 3, 1), 1, 127), "1985-03-02");
        var problem = await wrong.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "dateOfBirth" }));
    }
}
