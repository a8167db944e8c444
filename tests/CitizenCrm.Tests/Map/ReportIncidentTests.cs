using System.Net.Http.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Map;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.Map;

/// <summary>A report on the map becomes a service request from the map channel, at a place inside the city.</summary>
public class ReportIncidentTests
{
    // The Citadel of Alba Iulia (Cetatea Alba Carolina), inside the default boundary.
    private const double CitadelLat = 46.0686, CitadelLon = 23.5702;

    private CrmTestApp _app = null!;

    [SetUp]
    public void Start() => _app = new CrmTestApp();

    [TearDown]
    public void Stop() => _app.Dispose();

    private static ReportIncident Pothole(double? lat = CitadelLat, double? lon = CitadelLon, string size = "medium",
        string? email = null, string? phone = null, string? first = null, string? last = null, string? address = "Str. Mihai Viteazul 12",
        string service = "pothole", IReadOnlyDictionary<string, IReadOnlyList<string>>? attributes = null) =>
        new(service, lat, lon, address, null, "O groapă adâncă lângă trecerea de pietoni.",
            attributes ?? new Dictionary<string, IReadOnlyList<string>> { ["size"] = [size] },
            first, last, email, phone, null, null, null, ReportSources.MapPage);

    private async Task<ValidationFailedException> Refused(ReportIncident report)
    {
        _ = await _app.CreateClient().GetAsync("/health/live");
        return Assert.ThrowsAsync<ValidationFailedException>(async () => await _app.Send(report))!;
    }

    private long Count(string sql)
    {
        using var db = _app.OpenDatabase();
        return db.ExecuteScalar<long>(sql);
    }

    [Test]
    public async Task A_pothole_reported_at_the_citadel_is_a_service_request_from_the_map_with_its_place_and_answers()
    {
        var report = await _app.Send(Pothole(first: "Maria", last: "Ionescu", email: "maria.ionescu@example.ro"));

        Assert.That(report.ServiceRequestId, Is.EqualTo($"{report.Year}-1"));
        Assert.That(report.RegistrationNumber, Is.EqualTo($"1/{report.Year}"));
        Assert.That(report.Token, Has.Length.EqualTo(32));
        Assert.That(report.PossibleDuplicateOf, Is.Null);
        Assert.That(report.Public, Is.True, "the text goes on the public map at once by default");

        using var db = _app.OpenDatabase();
        var c = db.QuerySingle("SELECT kind, channel, category_code, subject, description, party_kind, contact_name, contact_details FROM cases WHERE id = @Id",
            new { Id = report.CaseId });
        Assert.That((string)c.kind, Is.EqualTo("service_request"));
        Assert.That((string)c.channel, Is.EqualTo("map"));
        Assert.That((string)c.category_code, Is.EqualTo("pothole"));
        Assert.That((string)c.subject, Is.EqualTo("Groapă în carosabil — Str. Mihai Viteazul 12"));
        Assert.That((string)c.party_kind, Is.EqualTo("contact"));
        Assert.That((string)c.contact_name, Is.EqualTo("Maria Ionescu"));
        Assert.That((string)c.contact_details, Is.EqualTo("maria.ionescu@example.ro"));
        var place = db.QuerySingle("SELECT latitude, longitude, address_string FROM case_locations WHERE case_id = @Id", new { Id = report.CaseId });
        Assert.That((double)place.latitude, Is.EqualTo(46.0686));
        Assert.That((double)place.longitude, Is.EqualTo(23.5702));
        Assert.That((string)place.address_string, Is.EqualTo("Str. Mihai Viteazul 12"));
        var row = db.QuerySingle("SELECT source, attributes, media_links, public_text FROM map_reports WHERE case_id = @Id", new { Id = report.CaseId });
        Assert.That((string)row.source, Is.EqualTo("map_page"));
        Assert.That((string)row.attributes, Is.EqualTo("""{"size":["medium"]}"""));
        Assert.That((string)row.media_links, Is.EqualTo("[]"));
    }

    [Test]
    public async Task A_report_from_bucharest_is_refused_as_outside_the_city_and_nothing_is_written()
    {
        var refused = await Refused(Pothole(lat: 44.4268, lon: 26.1025));

        Assert.That(refused.Errors["lat"][0], Does.Contain("outside the municipality of Alba Iulia"));
        Assert.That(Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(0));
        Assert.That(Count("SELECT COUNT(*) FROM map_reports"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_required_question_left_unanswered_an_answer_not_on_the_list_and_an_unknown_question_are_each_refused()
    {
        var unanswered = await Refused(Pothole(attributes: new Dictionary<string, IReadOnlyList<string>>()));
        Assert.That(unanswered.Errors["attribute[size]"][0], Is.EqualTo("Answer the question 'Cât de mare este groapa?' (size)."));

        var wrong = await Refused(Pothole(size: "huge"));
        Assert.That(wrong.Errors["attribute[size]"][0], Is.EqualTo("'huge' is not one of the answers to 'Cât de mare este groapa?': small, medium, large."));

        var unknown = await Refused(Pothole(attributes: new Dictionary<string, IReadOnlyList<string>> { ["size"] = ["small"], ["colour"] = ["red"] }));
        Assert.That(unknown.Errors["attribute[colour]"][0], Is.EqualTo("The service 'pothole' asks no question 'colour'. Its questions: size, depth_cm."));

        var notANumber = await Refused(Pothole(attributes: new Dictionary<string, IReadOnlyList<string>> { ["size"] = ["small"], ["depth_cm"] = ["deep"] }));
        Assert.That(notANumber.Errors["attribute[depth_cm]"][0], Does.StartWith("The answer to 'Cât de adâncă este, aproximativ, în centimetri?' is a number"));
        Assert.That(Count("SELECT COUNT(*) FROM cases"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_service_that_is_not_an_incident_cannot_be_reported_on_the_map()
    {
        var refused = await Refused(Pothole(service: "building_tax_return", attributes: new Dictionary<string, IReadOnlyList<string>>()));

        Assert.That(refused.Errors["service_code"][0], Does.StartWith("There is no incident service 'building_tax_return' on the map. Services: abandoned_vehicle, damaged_pavement,"));
    }

    [Test]
    public async Task Several_answers_are_taken_only_by_a_multiple_choice_question()
    {
        var dumping = await _app.Send(Pothole(service: "illegal_dumping",
            attributes: new Dictionary<string, IReadOnlyList<string>> { ["waste_type"] = ["household", "bulky"] }));
        using (var db = _app.OpenDatabase())
            Assert.That(db.ExecuteScalar<string>("SELECT attributes FROM map_reports WHERE case_id = @Id", new { Id = dumping.CaseId }),
                Is.EqualTo("""{"waste_type":["household","bulky"]}"""));

        var refused = await Refused(Pothole(attributes: new Dictionary<string, IReadOnlyList<string>> { ["size"] = ["small", "large"] }));
        Assert.That(refused.Errors["attribute[size]"][0], Is.EqualTo("Give one answer to 'Cât de mare este groapa?'."));
    }

    [Test]
    public async Task A_reporter_whose_email_is_a_citizens_is_that_citizen_and_the_report_is_on_their_timeline()
    {
        var clerk = await _app.ClientFor(StaffRole.Clerk);
        var registered = await clerk.PostAsJsonAsync("/api/citizens", new
        {
            nationalId = TestData.NewCnp(), firstName = "Ana", lastName = "Mureșan", emails = new[] { "ana.muresan@example.ro" },
        });
        var citizenId = (await registered.ReadJson<CitizenCrm.Core.Citizens.Citizen>()).Id;

        var report = await _app.Send(Pothole(email: "Ana.Muresan@example.ro"));

        using var db = _app.OpenDatabase();
        Assert.That(db.ExecuteScalar<Guid>("SELECT citizen_id FROM cases WHERE id = @Id", new { Id = report.CaseId }), Is.EqualTo(citizenId));
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM timeline WHERE citizen_id = @C AND kind = 'case.registered' AND channel = 'map'",
            new { C = citizenId }), Is.EqualTo(1));
    }

    [Test]
    public async Task A_reporter_who_gives_nothing_stays_a_contact_followed_by_the_public_link()
    {
        var report = await _app.Send(Pothole());

        using var db = _app.OpenDatabase();
        var c = db.QuerySingle("SELECT party_kind, citizen_id, contact_name, contact_details FROM cases WHERE id = @Id", new { Id = report.CaseId });
        Assert.That((string)c.party_kind, Is.EqualTo("contact"));
        Assert.That(c.citizen_id, Is.Null);
        Assert.That((string)c.contact_name, Is.EqualTo("Reporter on the map (no name given)"));
        Assert.That((string)c.contact_details, Is.EqualTo("no contact given; followed by the public link"));
    }

    [Test]
    public async Task A_report_located_only_by_its_address_is_kept_without_coordinates()
    {
        var report = await _app.Send(Pothole(lat: null, lon: null, address: "Bulevardul Transilvaniei 5"));

        using var db = _app.OpenDatabase();
        var place = db.QuerySingle("SELECT latitude, longitude, address_string FROM case_locations WHERE case_id = @Id", new { Id = report.CaseId });
        Assert.That(place.latitude, Is.Null);
        Assert.That((string)place.address_string, Is.EqualTo("Bulevardul Transilvaniei 5"));

        var nowhere = await Refused(Pothole(lat: null, lon: null, address: null));
        Assert.That(nowhere.Errors["lat"][0], Is.EqualTo("Say where the problem is: lat and long, or address_string, or address_id."));
    }

    [Test]
    public async Task A_second_pothole_30_m_from_an_open_one_is_flagged_as_a_possible_duplicate_and_one_80_m_away_is_not()
    {
        var first = await _app.Send(Pothole());
        // 0.00027° of latitude is 30.0 m on the mean-radius sphere (111 195 m per degree); 0.00072° is 80.1 m.
        var near = await _app.Send(Pothole(lat: 46.06887));
        var far = await _app.Send(Pothole(lat: 46.06932));

        Assert.That(near.PossibleDuplicateOf, Is.EqualTo(first.CaseId));
        Assert.That(far.PossibleDuplicateOf, Is.Null);
        using var db = _app.OpenDatabase();
        Assert.That(db.ExecuteScalar<Guid>("SELECT possible_duplicate_of FROM map_reports WHERE case_id = @Id", new { Id = near.CaseId }),
            Is.EqualTo(first.CaseId));
        Assert.That(db.ExecuteScalar<string>("SELECT summary FROM timeline WHERE case_id = @Id AND kind = 'case.possible_duplicate'", new { Id = near.CaseId }),
            Is.EqualTo($"Possible duplicate of 1/{first.Year}: the same service within 50 m and 7 days (30 m away); for a dispatcher to decide, not merged"));
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM cases WHERE status = 'registered'"), Is.EqualTo(3), "nothing merged automatically");
    }

    [Test]
    public void Distances_on_the_sphere_match_hand_computed_values()
    {
        // 0.001° of latitude anywhere: 6 371 008.8 m × 0.001 × π / 180 = 111.195 m.
        Assert.That(GeoDistance.Metres(46.0, 23.5, 46.001, 23.5), Is.EqualTo(111.195).Within(0.001));
        // 0.001° of longitude at 46°: 111.195 m × cos 46° = 77.242 m.
        Assert.That(GeoDistance.Metres(46.0, 23.5, 46.0, 23.501), Is.EqualTo(77.242).Within(0.001));
    }

    [TestCase("2026-154", true, 2026, 154)]
    [TestCase("2026-0", false, 0, 0)]
    [TestCase("154/2026", false, 0, 0)]
    [TestCase("2026-15a", false, 0, 0)]
    [TestCase("-2026-1", false, 0, 0)]
    public void A_service_request_id_is_year_dash_number(string id, bool valid, int year, int number)
    {
        Assert.That(ServiceRequestIds.TryParse(id, out var y, out var n), Is.EqualTo(valid));
        if (valid) Assert.That((y, n), Is.EqualTo((year, number)));
    }
}
