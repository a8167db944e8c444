using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.DataProtection.Rectification;

/// <summary>
/// GDPR art. 16: every personal field of a citizen can be corrected through the API, and each correction is on the
/// timeline naming the field. The fields are read from the schema, so a new column fails here until it can be corrected.
/// </summary>
public sealed class RectificationTests : ClerkTest
{
    /// <summary>Columns of citizens that are not personal data a person could ask to correct: keys, clocks, the PIN's hash, erasure.</summary>
    private static readonly string[] NotPersonal = ["id", "pin_hash", "pin_issued_at", "created_at", "updated_at", "version", "erased_at"];

    private const string FirstCnp = "2850301011236";   // born 1 March 1985
    private const string SecondCnp = "1900715012347";  // born 15 July 1990

    [Test]
    public async Task Every_personal_column_of_a_citizen_can_be_corrected_and_the_timeline_names_it()
    {
        Assert.That(Cnp.Problem(FirstCnp), Is.Null);
        Assert.That(Cnp.Problem(SecondCnp), Is.Null);
        var citizen = await Clerk.RegisterCitizen(FirstCnp, "Ana", "Pop", "0722 123 456");
        var details = new Dictionary<string, object?>
        {
            ["firstName"] = "Ana", ["lastName"] = "Pop", ["dateOfBirth"] = null, ["address"] = null, ["preferredLanguage"] = "ro",
            ["phones"] = new[] { "+40722123456" }, ["emails"] = Array.Empty<string>(),
        };
        Task<HttpResponseMessage> Put(string field, object? value)
        {
            details[field] = value;
            return Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}", details);
        }

        // Column → the correction through the API, the property of GET ?reveal=true that shows it, and its value after.
        var corrections = new (string Column, Func<Task<HttpResponseMessage>> Correct, string Property, string Expected)[]
        {
            ("first_name", () => Put("firstName", "Ștefania"), "firstName", "Ștefania"),
            ("last_name", () => Put("lastName", "Mureșan-Pop"), "lastName", "Mureșan-Pop"),
            ("address", () => Put("address", "Str. Nouă 2, Alba Iulia"), "address", "Str. Nouă 2, Alba Iulia"),
            ("preferred_language", () => Put("preferredLanguage", "hu"), "preferredLanguage", "hu"),
            ("phones", () => Put("phones", new[] { "0745 111 222" }), "phones", "[\"+40745111222\"]"),
            ("emails", () => Put("emails", new[] { "Ana.Pop@Example.ro" }), "emails", "[\"ana.pop@example.ro\"]"),
            ("national_id", () => Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}/national-id", new { idType = "cnp", nationalId = SecondCnp }),
                "nationalId", SecondCnp),
            ("id_type", () => Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}/national-id", new { idType = "passport", nationalId = "RO1234567" }),
                "idType", "passport"),
            // With a passport, nothing ties the date of birth to the ID any more: it is corrected like the other details.
            ("date_of_birth", () => Put("dateOfBirth", "1991-01-02"), "dateOfBirth", "1991-01-02"),
        };

        using (var db = App.OpenDatabase())
        {
            var personal = db.Query<string>("SELECT name FROM pragma_table_info('citizens')").Except(NotPersonal).ToList();
            Assert.That(corrections.Select(c => c.Column), Is.EquivalentTo(personal),
                "a personal column of citizens that no correction below covers: add a command (or a field of PUT /api/citizens/{id}) and a row here");
        }

        foreach (var (column, correct, property, expected) in corrections)
        {
            var response = await correct();
            Assert.That((int)response.StatusCode, Is.EqualTo(200), $"{column}: {await response.Content.ReadAsStringAsync()}");
            var read = await Clerk.GetFromJsonAsync<JsonElement>($"/api/citizens/{citizen.Id}?reveal=true");
            var shown = read.GetProperty(property);
            Assert.That(shown.ValueKind == JsonValueKind.Array ? shown.GetRawText() : shown.GetString(), Is.EqualTo(expected), column);

            var newest = (await Clerk.GetFromJsonAsync<JsonElement>($"/api/citizens/{citizen.Id}/timeline?limit=1")).GetProperty("events")[0];
            Assert.That(newest.GetProperty("kind").GetString(), Is.EqualTo("citizen.updated"), column);
            Assert.That(newest.GetProperty("payload").GetProperty("fields").EnumerateArray().Select(f => f.GetString()), Does.Contain(column));
        }
    }

    [Test]
    public async Task A_mistyped_CNP_is_corrected_with_its_check_digit_checked_and_the_timeline_shows_it_masked()
    {
        var citizen = await Clerk.RegisterCitizen(FirstCnp, "Ana", "Pop");

        var wrongDigit = await Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}/national-id", new { idType = "cnp", nationalId = "1900715012346" });
        var problem = await wrongDigit.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("nationalId")[0].GetString(),
            Is.EqualTo("This CNP's last digit does not match the others: check it was typed correctly."));

        var other = await Clerk.RegisterCitizen(TestData.NewCnp(), "Ion", "Pop");
        var taken = await Clerk.PutAsJsonAsync($"/api/citizens/{other.Id}/national-id", new { idType = "cnp", nationalId = FirstCnp });
        var conflict = await taken.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(conflict.GetProperty("detail").GetString(), Does.StartWith("Another citizen is registered with this CNP"));

        var stale = await Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}/national-id", new { idType = "cnp", nationalId = SecondCnp, version = 7 });
        await stale.AssertProblem(HttpStatusCode.Conflict);

        var corrected = await Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}/national-id", new { idType = "cnp", nationalId = SecondCnp, version = 1 });
        var answer = JsonDocument.Parse(await corrected.Content.ReadAsStringAsync()).RootElement;
        Assert.That((int)corrected.StatusCode, Is.EqualTo(200), answer.GetRawText());
        Assert.That(answer.GetProperty("nationalId").GetString(), Is.EqualTo("*********2347"), "the answer is masked like every other");
        Assert.That(answer.GetProperty("dateOfBirth").GetString(), Is.EqualTo("1990-07-15"), "the date of birth follows the corrected CNP");
        Assert.That(answer.GetProperty("version").GetInt32(), Is.EqualTo(2));

        using var db = App.OpenDatabase();
        var stored = db.QuerySingle<(string NationalId, string DateOfBirth)>("SELECT national_id AS NationalId, CAST(date_of_birth AS VARCHAR(10)) AS DateOfBirth FROM citizens WHERE id = @Id", new { citizen.Id });
        Assert.That(stored, Is.EqualTo((SecondCnp, "1990-07-15")));
        var events = db.Query<(string Summary, string Payload)>(
            "SELECT summary AS Summary, payload AS Payload FROM timeline WHERE citizen_id = @Id AND kind = 'citizen.updated'", new { citizen.Id }).ToList();
        Assert.That(events.Select(e => e.Summary), Is.EqualTo(new[]
            { "National ID corrected: CNP *********2347 (was CNP *********1236), date of birth read from the CNP" }));
        Assert.That(events.Single().Payload, Does.Not.Contain(SecondCnp).And.Not.Contain(FirstCnp));
        Assert.That(db.QuerySingle<long>("SELECT COUNT(*) FROM timeline WHERE summary LIKE @a OR payload LIKE @a OR summary LIKE @b OR payload LIKE @b",
            new { a = $"%{FirstCnp}%", b = $"%{SecondCnp}%" }), Is.Zero, "no event anywhere holds either CNP whole");
    }

    [Test]
    public async Task A_contact_partys_name_and_details_are_corrected_on_the_case_and_its_history()
    {
        var created = await Clerk.PostAsJsonAsync("/api/cases", new
        {
            kind = "petition", channel = "desk", subject = "Iluminat stradal",
            contact = new { name = "Vasile Contac", details = "Str. Florilor 3" },
        });
        var caseId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var response = await Clerk.PutAsJsonAsync($"/api/cases/{caseId}/contact", new { name = "Vasile Contact", details = "Str. Florilor 3, tel. 0745 333 444" });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body.GetRawText());
        Assert.That(body.GetProperty("party").GetProperty("displayName").GetString(), Is.EqualTo("Vasile Contact"));
        Assert.That(body.GetProperty("party").GetProperty("contactDetails").GetString(), Is.EqualTo("Str. Florilor 3, tel. +407******44"));
        var whole = await Clerk.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}?reveal=true");
        Assert.That(whole.GetProperty("party").GetProperty("contactDetails").GetString(), Is.EqualTo("Str. Florilor 3, tel. 0745 333 444"));

        var history = (await Clerk.GetFromJsonAsync<JsonElement>($"/api/timeline/cases/{caseId}?limit=1")).GetProperty("events")[0];
        Assert.That(history.GetProperty("kind").GetString(), Is.EqualTo("case.contact_corrected"));
        Assert.That(history.GetProperty("summary").GetString(), Is.EqualTo("Petition 1/2026: the contact's name and contact details corrected"));
        Assert.That(history.GetProperty("payload").GetProperty("fields").EnumerateArray().Select(f => f.GetString()),
            Is.EqualTo(new[] { "contact_name", "contact_details" }));

        var empty = await Clerk.PutAsJsonAsync($"/api/cases/{caseId}/contact", new { name = " ", details = "" });
        var problem = await empty.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EquivalentTo(new[] { "name", "details" }));

        var citizen = await Clerk.RegisterCitizen();
        var citizenCase = JsonDocument.Parse(await (await Clerk.PostAsJsonAsync("/api/cases",
            new { kind = "petition", channel = "desk", subject = "Groapă", citizenId = citizen.Id })).Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        var refused = await (await Clerk.PutAsJsonAsync($"/api/cases/{citizenCase}/contact", new { name = "X", details = "Y" })).AssertProblem(HttpStatusCode.Conflict);
        Assert.That(refused.GetProperty("detail").GetString(), Does.Contain($"correct the citizen's record (PUT /api/citizens/{citizen.Id})"));
    }
}
