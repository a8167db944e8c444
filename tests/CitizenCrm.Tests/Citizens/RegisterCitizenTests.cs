using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Citizens;

public sealed class RegisterCitizenTests : ClerkTest
{
    [Test]
    public async Task Clerk_registers_a_citizen_and_sees_it_on_the_timeline()
    {
        var citizen = await Clerk.RegisterCitizen(firstName: "Ștefan", lastName: "Szabó", phone: "0722 123 456");

        Assert.That(citizen.Phones, Is.EqualTo(new[] { "+40722123456" }));
        Assert.That(citizen.DateOfBirth, Is.EqualTo(new DateOnly(1985, 3, 1)), "date of birth is read from the CNP");
        var page = await Clerk.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/citizens/{citizen.Id}/timeline", Json.Options);
        var kinds = page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString());
        Assert.That(kinds, Is.EqualTo(new[] { "citizen.registered" }));
        var summary = page.GetProperty("events")[0].GetProperty("summary").GetString()!;
        Assert.That(summary, Does.Not.Contain(citizen.NationalId), "the full CNP never appears in a summary");
        Assert.That(summary, Does.Contain(citizen.NationalId[^4..]));
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
