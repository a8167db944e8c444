using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Citizens;

public sealed class FindAndReadCitizenTests : ClerkTest
{
    private async Task<CitizenSearchResult> Search(object body)
    {
        var response = await Clerk.PostAsJsonAsync("/api/citizens/search", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.ReadJson<CitizenSearchResult>();
    }

    [Test]
    public async Task Searching_Stefan_finds_Ștefan_and_Szabo_finds_Szabó()
    {
        var stefan = await Clerk.RegisterCitizen(firstName: "Ștefan", lastName: "Mureșan");
        var szabo = await Clerk.RegisterCitizen(firstName: "Ilona", lastName: "Szabó");
        await Clerk.RegisterCitizen(firstName: "Ion", lastName: "Stan");

        Assert.That((await Search(new { name = "Stefan" })).Citizens.Select(c => c.Id), Is.EqualTo(new[] { stefan.Id }));
        Assert.That((await Search(new { name = "szabo" })).Citizens.Select(c => c.Id), Is.EqualTo(new[] { szabo.Id }));
        Assert.That((await Search(new { name = "mures stef" })).Citizens.Select(c => c.Id), Is.EqualTo(new[] { stefan.Id }), "prefixes of several words");
        Assert.That((await Search(new { name = "st" })).Citizens, Has.Count.EqualTo(2), "Ștefan and Stan");
    }

    [Test]
    public async Task Search_results_mask_the_national_id_and_show_only_the_birth_year()
    {
        var cnp = TestData.NewCnp();
        await Clerk.RegisterCitizen(cnp, "Ana", "Pop");

        var hit = (await Search(new { nationalId = cnp })).Citizens.Single();

        Assert.That(hit.MaskedNationalId, Is.EqualTo("*********" + cnp[^4..]));
        Assert.That(hit.BirthYear, Is.EqualTo(1985));
    }

    [Test]
    public async Task A_citizen_is_found_by_a_phone_typed_in_any_format()
    {
        var citizen = await Clerk.RegisterCitizen(phone: "+40 722 111 222");

        var hits = await Search(new { phone = "0722-111-222" });

        Assert.That(hits.Citizens.Select(c => c.Id), Is.EqualTo(new[] { citizen.Id }));
    }

    [Test]
    public async Task Unknown_ids_get_404_with_a_readable_problem()
    {
        var unknown = Guid.NewGuid();
        (await (await Clerk.GetAsync($"/api/citizens/{unknown}")).AssertProblem(HttpStatusCode.NotFound)).GetProperty("detail").GetString();
        await (await Clerk.GetAsync($"/api/citizens/{unknown}/timeline")).AssertProblem(HttpStatusCode.NotFound);
        await (await Clerk.PostAsync($"/api/citizens/{unknown}/phone-pin", null)).AssertProblem(HttpStatusCode.NotFound);
        await (await Clerk.PutAsJsonAsync($"/api/citizens/{unknown}", new { firstName = "A", lastName = "B" })).AssertProblem(HttpStatusCode.NotFound);
        await (await Clerk.PostAsJsonAsync($"/api/citizens/{unknown}/interactions", new { type = "email", channel = "email", summary = "x" }))
            .AssertProblem(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_bad_query_parameter_is_a_400_naming_the_parameter()
    {
        var citizen = await Clerk.RegisterCitizen();

        var problem = await (await Clerk.GetAsync($"/api/citizens/{citizen.Id}/timeline?before=yesterday")).AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.ErrorFields(), Does.Contain("before"));
    }

    [Test]
    public async Task Clerk_corrects_details_and_a_stale_edit_is_refused()
    {
        var citizen = await Clerk.RegisterCitizen(firstName: "Ion", lastName: "Pop");

        var updated = await (await Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}",
            new { firstName = "Ioan", lastName = "Pop", address = "Str. Mihai Viteazul 1, Alba Iulia", expectedVersion = 1 })).ReadJson<Citizen>();
        var stale = await Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}", new { firstName = "Ionel", lastName = "Pop", expectedVersion = 1 });

        Assert.That(updated.FirstName, Is.EqualTo("Ioan"));
        Assert.That(updated.Version, Is.EqualTo(2));
        await stale.AssertProblem(HttpStatusCode.Conflict);
        Assert.That((await Search(new { name = "ioan" })).Citizens, Has.Count.EqualTo(1), "the name index follows the correction");
        Assert.That((await Search(new { name = "ionel" })).Citizens, Is.Empty);
    }

    [Test]
    public async Task A_put_that_sends_back_the_version_it_read_is_refused_when_someone_changed_the_record_meanwhile()
    {
        var citizen = await Clerk.RegisterCitizen(firstName: "Ion", lastName: "Pop");
        (await Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}", new { firstName = "Ioan", lastName = "Pop", version = 1 })).EnsureSuccessStatusCode();

        var stale = await Clerk.PutAsJsonAsync($"/api/citizens/{citizen.Id}", new { firstName = "Ionel", lastName = "Pop", version = 1 });

        await stale.AssertProblem(HttpStatusCode.Conflict);
    }

    [Test]
    public async Task A_phone_pin_is_shown_once_and_stored_only_as_a_keyed_hash()
    {
        var citizen = await Clerk.RegisterCitizen();

        var issued = await (await Clerk.PostAsync($"/api/citizens/{citizen.Id}/phone-pin", null)).ReadJson<IssuedPhonePin>();

        Assert.That(issued.Pin, Does.Match("^[0-9]{4}$"));
        using var db = App.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "SELECT pin_hash FROM citizens";
        var stored = (string)cmd.ExecuteScalar()!;
        // Not "does not contain the PIN": 4 digits turn up by chance in about 1 of 1,000 random 64-hex-digit hashes.
        // What is stored is exactly HMAC-SHA256 under the key file's key, computed here without the application's hasher.
        Assert.That(File.Exists(Path.Combine(App.DataFolder, "phone-pin.key")), Is.True, "the key lives outside the database");
        var key = Convert.FromBase64String(File.ReadAllText(Path.Combine(App.DataFolder, "phone-pin.key")));
        var expected = Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"{citizen.Id:N}:{issued.Pin}")));
        Assert.That(stored, Is.EqualTo(expected));
        Assert.That(stored, Does.Match("^[0-9A-F]{64}$"));
        var unkeyed = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{citizen.Id:N}:{issued.Pin}")));
        Assert.That(stored, Is.Not.EqualTo(unkeyed), "keyed, not a plain hash anyone could recompute");
        var hasher = new PhonePinHasher(key);
        Assert.That(hasher.Verify(citizen.Id, issued.Pin, stored), Is.True);
        var again = await (await Clerk.GetAsync($"/api/citizens/{citizen.Id}")).ReadJson<JsonElement>();
        Assert.That(again.GetRawText(), Does.Not.Contain(issued.Pin + "\""), "the PIN is never shown again");
        Assert.That(again.GetProperty("hasPhonePin").GetBoolean(), Is.True);
    }

    [TestCase("1850301011235", "last digit", TestName = "Search by a CNP with a wrong check digit is a 400")]
    [TestCase("1850230011239", "not a real date", TestName = "Search by a CNP with 30 February is a 400")]
    [TestCase("1850301991230", "county code 99", TestName = "Search by a CNP with county 99 is a 400")]
    [TestCase("185-030-101", "passport or foreign ID", TestName = "Search by a national ID with dashes is a 400")]
    [TestCase("ab1", "passport or foreign ID", TestName = "Search by a three-character ID is a 400")]
    public async Task Searching_with_an_id_no_citizen_could_have_is_a_400_that_says_why(string nationalId, string expected)
    {
        if (expected is "not a real date" or "county code 99")
            nationalId = nationalId[..12] + Cnp.CheckDigit(nationalId.AsSpan(0, 12)); // only the named fault
        await Clerk.RegisterCitizen(TestData.NewCnp());

        var response = await Clerk.PostAsJsonAsync("/api/citizens/search", new { nationalId });

        var problem = await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("nationalId")[0].GetString(), Does.Contain(expected));
    }

    [Test]
    public async Task Searching_by_a_passport_number_still_works()
    {
        var response = await Clerk.PostAsJsonAsync("/api/citizens", new { idType = "passport", nationalId = "X1234567", firstName = "John", lastName = "Smith" });
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());

        Assert.That((await Search(new { nationalId = "x1234567" })).Citizens.Select(c => c.LastName), Is.EqualTo(new[] { "Smith" }));
    }
}

public sealed class PinKeyTests
{
    [Test]
    public void A_fresh_start_writes_the_pin_key_file_before_any_pin_is_issued()
    {
        Assume.That(Environment.GetEnvironmentVariable("CITIZENCRM_PIN_KEY"), Is.Null.Or.Empty, "with CITIZENCRM_PIN_KEY set no file is written");
        using var app = new CrmTestApp();
        var keyFile = Path.Combine(app.DataFolder, "phone-pin.key");
        Assert.That(File.Exists(keyFile), Is.False, "a fresh data folder");

        _ = app.Server; // the host starts: no request, no PIN

        Assert.That(File.Exists(keyFile), Is.True, "written on the first start");
        Assert.That(Convert.FromBase64String(File.ReadAllText(keyFile).Trim()), Has.Length.EqualTo(32));
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "mode 600");
    }
}
