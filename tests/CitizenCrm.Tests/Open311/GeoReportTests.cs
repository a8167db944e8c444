using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static CitizenCrm.Tests.Open311.Open311Client;

namespace CitizenCrm.Tests.Open311;

/// <summary>
/// GeoReport v2 (wiki.open311.org/GeoReport_v2) method by method, in XML and JSON, with the element names and order of
/// the specification's own example responses, and its errors. The clock stands at 2 December 2026, 07:30 UTC
/// (09:30 in Alba Iulia, winter time +02:00).
/// </summary>
public sealed class GeoReportTests
{
    private static readonly string[] RequestFields =
    [
        "service_request_id", "status", "status_notes", "service_name", "service_code", "description", "agency_responsible",
        "service_notice", "requested_datetime", "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
        "lat", "long", "media_url",
    ];

    private CrmTestApp _app = null!;
    private HttpClient _client = null!;

    [SetUp]
    public void Start()
    {
        _app = new CrmTestApp(clock: new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 7, 30, 0, TimeSpan.Zero)));
        _client = _app.CreateClient();
    }

    [TearDown]
    public void Stop()
    {
        _client.Dispose();
        _app.Dispose();
    }

    [Test]
    public async Task An_app_discovers_the_endpoint_and_both_formats_in_xml_and_json()
    {
        var xml = await Xml(await _client.GetAsync($"{Base}/discovery.xml"));
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("discovery"));
        Assert.That(ChildNames(xml.Root), Is.EqualTo(new[] { "changeset", "contact", "key_service", "endpoints" }));
        var endpoint = xml.Root.Element("endpoints")!.Elements().Single();
        Assert.That(endpoint.Name.LocalName, Is.EqualTo("endpoint"));
        Assert.That(ChildNames(endpoint), Is.EqualTo(new[] { "specification", "url", "changeset", "type", "formats" }));
        Assert.That(endpoint.Element("specification")!.Value, Is.EqualTo("http://wiki.open311.org/GeoReport_v2"));
        Assert.That(endpoint.Element("url")!.Value, Is.EqualTo("http://localhost/open311/v2"));
        Assert.That(endpoint.Element("formats")!.Elements("format").Select(f => f.Value), Is.EqualTo(new[] { "text/xml", "application/json" }));
        // The seeded map services were never edited: the changeset is the catalogue's start, 1 January 2026, in Bucharest time.
        Assert.That(xml.Root.Element("changeset")!.Value, Is.EqualTo("2026-01-01T02:00:00+02:00"));
        Assert.That(endpoint.Element("changeset")!.Value, Is.EqualTo("2026-01-01T02:00:00+02:00"));

        var json = await Json(await _client.GetAsync($"{Base}/discovery.json"));
        Assert.That(PropertyNames(json), Is.EqualTo(new[] { "changeset", "contact", "key_service", "endpoints" }));
        var first = json.GetProperty("endpoints")[0];
        Assert.That(first.GetProperty("formats").EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "text/xml", "application/json" }));
        Assert.That(first.GetProperty("type").GetString(), Is.EqualTo("production"));
    }

    [Test]
    public async Task The_service_list_holds_the_map_services_with_the_fields_of_the_specifications_example()
    {
        var xml = await Xml(await _client.GetAsync($"{Base}/services.xml?jurisdiction_id=apulum.ro"));
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("services"));
        Assert.That(xml.Root.Elements().Select(e => e.Name.LocalName).Distinct(), Is.EqualTo(new[] { "service" }));
        var pothole = xml.Root.Elements().Single(e => e.Element("service_code")!.Value == "pothole");
        Assert.That(ChildNames(pothole), Is.EqualTo(new[] { "service_code", "service_name", "description", "metadata", "type", "keywords", "group" }));
        Assert.That(pothole.Element("service_name")!.Value, Is.EqualTo("Groapă în carosabil"));
        Assert.That(pothole.Element("metadata")!.Value, Is.EqualTo("true"));
        Assert.That(pothole.Element("type")!.Value, Is.EqualTo("realtime"));
        Assert.That(pothole.Element("group")!.Value, Is.EqualTo("Direcția Tehnică – Drumuri și Lucrări Publice"));
        Assert.That(pothole.Element("keywords")!.Value, Is.EqualTo("pothole, Pothole in the road, Kátyú az úttesten"));
        // Only incident services reach the map: the guide's paperwork is not an Open311 service.
        Assert.That(xml.Root.Elements().Select(e => e.Element("service_code")!.Value), Does.Not.Contain("building_tax_return"));

        var json = await Json(await _client.GetAsync($"{Base}/services.json?locale=en"));
        Assert.That(json.ValueKind, Is.EqualTo(JsonValueKind.Array));
        var inEnglish = json.EnumerateArray().Single(s => s.GetProperty("service_code").GetString() == "pothole");
        Assert.That(inEnglish.GetProperty("service_code").ValueKind, Is.EqualTo(JsonValueKind.String), "codes are strings");
        Assert.That(inEnglish.GetProperty("service_name").GetString(), Is.EqualTo("Pothole in the road"));
        Assert.That(inEnglish.GetProperty("metadata").ValueKind, Is.EqualTo(JsonValueKind.True));

        using var hungarian = new HttpRequestMessage(HttpMethod.Get, $"{Base}/services.json");
        hungarian.Headers.AcceptLanguage.ParseAdd("hu-HU, en;q=0.5");
        var inHungarian = await Json(await _client.SendAsync(hungarian));
        Assert.That(inHungarian.EnumerateArray().Single(s => s.GetProperty("service_code").GetString() == "pothole").GetProperty("service_name").GetString(),
            Is.EqualTo("Kátyú az úttesten"));
    }

    [Test]
    public async Task A_service_definition_lists_its_questions_like_the_specifications_example()
    {
        var xml = await Xml(await _client.GetAsync($"{Base}/services/illegal_dumping.xml"));
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("service_definition"));
        Assert.That(ChildNames(xml.Root), Is.EqualTo(new[] { "service_code", "attributes" }));
        var attributes = xml.Root.Element("attributes")!.Elements().ToList();
        Assert.That(attributes.Select(a => a.Name.LocalName).Distinct(), Is.EqualTo(new[] { "attribute" }));
        var waste = attributes[0];
        Assert.That(ChildNames(waste), Is.EqualTo(new[] { "variable", "code", "datatype", "required", "datatype_description", "order", "description", "values" }));
        Assert.That(waste.Element("variable")!.Value, Is.EqualTo("true"));
        Assert.That(waste.Element("code")!.Value, Is.EqualTo("waste_type"));
        Assert.That(waste.Element("datatype")!.Value, Is.EqualTo("multivaluelist"));
        Assert.That(waste.Element("required")!.Value, Is.EqualTo("true"));
        Assert.That(waste.Element("order")!.Value, Is.EqualTo("1"));
        Assert.That(waste.Element("description")!.Value, Is.EqualTo("Ce fel de deșeuri sunt?"));
        var first = waste.Element("values")!.Elements().First();
        Assert.That(first.Name.LocalName, Is.EqualTo("value"));
        Assert.That(ChildNames(first), Is.EqualTo(new[] { "key", "name" }));
        Assert.That(first.Element("key")!.Value, Is.EqualTo("household"));
        Assert.That(first.Element("name")!.Value, Is.EqualTo("Menajere"));

        var json = await Json(await _client.GetAsync($"{Base}/services/illegal_dumping.json?lang=en"));
        Assert.That(PropertyNames(json), Is.EqualTo(new[] { "service_code", "attributes" }));
        var attribute = json.GetProperty("attributes")[0];
        Assert.That(attribute.GetProperty("order").GetInt32(), Is.EqualTo(1));
        Assert.That(attribute.GetProperty("required").ValueKind, Is.EqualTo(JsonValueKind.True));
        Assert.That(attribute.GetProperty("description").GetString(), Is.EqualTo("What kind of waste is it?"));
        Assert.That(attribute.GetProperty("values")[2].GetProperty("key").GetString(), Is.EqualTo("bulky"));
        Assert.That(attribute.GetProperty("values")[2].GetProperty("name").GetString(), Is.EqualTo("Furniture or appliances"));

        Assert.That(await XmlErrors(await _client.GetAsync($"{Base}/services/no_such_service.xml"), HttpStatusCode.NotFound),
            Has.One.Contains("no_such_service"));
        Assert.That(await JsonErrors(await _client.GetAsync($"{Base}/services/building_tax_return.json"), HttpStatusCode.NotFound),
            Has.One.Contains("building_tax_return"), "a service not on the map has no definition here");
    }

    [Test]
    public async Task An_app_posts_a_form_and_reads_the_request_back_in_both_formats()
    {
        var key = await IssueKeyAsync(_app);

        var posted = await Xml(await PostAsync(_client, "xml", DumpingReport(key)), HttpStatusCode.Created);
        Assert.That(posted.Root!.Name.LocalName, Is.EqualTo("service_requests"));
        var answer = posted.Root.Elements().Single();
        Assert.That(answer.Name.LocalName, Is.EqualTo("request"));
        // "token: This should not be returned if service_request_id is returned" (the services are realtime).
        Assert.That(ChildNames(answer), Is.EqualTo(new[] { "service_request_id", "service_notice", "account_id" }));
        Assert.That(answer.Element("service_request_id")!.Value, Is.EqualTo("2026-1"));
        Assert.That(answer.Element("service_notice")!.Value, Is.EqualTo("Sesizarea ajunge la Serviciul Salubrizare, care o rezolvă și răspunde în cel mult 5 zile."));
        Assert.That(answer.Element("account_id")!.Value, Is.EqualTo("acct-5521"));

        var one = await Json(await _client.GetAsync($"{Base}/requests/2026-1.json?jurisdiction_id=apulum.ro"));
        Assert.That(one.ValueKind, Is.EqualTo(JsonValueKind.Array), "GET of one request answers a list too");
        var r = one.EnumerateArray().Single();
        Assert.That(PropertyNames(r), Is.EqualTo(RequestFields));
        Assert.That(r.GetProperty("service_request_id").GetString(), Is.EqualTo("2026-1"));
        Assert.That(r.GetProperty("status").GetString(), Is.EqualTo("open"));
        Assert.That(r.GetProperty("status_notes").GetString(), Is.EqualTo("Sesizare înregistrată."));
        Assert.That(r.GetProperty("service_name").GetString(), Is.EqualTo("Gunoi depozitat ilegal"));
        Assert.That(r.GetProperty("service_code").GetString(), Is.EqualTo("illegal_dumping"));
        Assert.That(r.GetProperty("description").GetString(), Is.EqualTo("Saci de gunoi și o canapea pe trotuar"));
        Assert.That(r.GetProperty("agency_responsible").GetString(), Is.EqualTo("Serviciul Salubrizare"));
        Assert.That(r.GetProperty("requested_datetime").GetString(), Is.EqualTo("2026-12-02T09:30:00+02:00"));
        Assert.That(r.GetProperty("updated_datetime").GetString(), Is.EqualTo("2026-12-02T09:30:00+02:00"));
        // The term: 5 days from 2 December is 7 December, to the end of that day in Bucharest.
        Assert.That(r.GetProperty("expected_datetime").GetString(), Is.EqualTo("2026-12-07T23:59:59+02:00"));
        Assert.That(r.GetProperty("address").GetString(), Is.EqualTo("Strada Trandafirilor 10, Alba Iulia"));
        Assert.That(r.GetProperty("address_id").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(r.GetProperty("zipcode").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(r.GetProperty("lat").GetDouble(), Is.EqualTo(46.0686));
        Assert.That(r.GetProperty("long").GetDouble(), Is.EqualTo(23.5705));
        Assert.That(r.GetProperty("media_url").GetString(), Is.EqualTo("https://photos.example.org/dump/1.jpg"));

        var xml = await Xml(await _client.GetAsync($"{Base}/requests/2026-1.xml"));
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("service_requests"));
        var request = xml.Root.Elements().Single();
        Assert.That(request.Name.LocalName, Is.EqualTo("request"));
        Assert.That(ChildNames(request), Is.EqualTo(RequestFields));
        Assert.That(request.Element("zipcode")!.Value, Is.Empty);
        Assert.That(request.Element("lat")!.Value, Is.EqualTo("46.0686"));

        // The case behind it: a service request from the map channel, reported by this app, answers stored as given.
        Assert.That(DbValue(_app, "SELECT channel || '/' || kind || '/' || category_code FROM cases WHERE number = 1"), Is.EqualTo("map/service_request/illegal_dumping"));
        Assert.That(DbValue(_app, "SELECT r.source || '/' || k.app_name FROM map_reports r JOIN open311_keys k ON k.id = r.app_key_id"), Is.EqualTo("open311/FixMyStreet Alba"));
        Assert.That(DbValue(_app, "SELECT attributes FROM map_reports"), Is.EqualTo("{\"waste_type\":[\"household\",\"bulky\"],\"amount\":[\"car\"]}"));

        // The token stands for the same request (GET service_request_id from a token).
        var token = DbValue(_app, "SELECT token FROM map_reports")!;
        var byToken = await Xml(await _client.GetAsync($"{Base}/tokens/{token}.xml"));
        Assert.That(byToken.Root!.Name.LocalName, Is.EqualTo("service_requests"));
        Assert.That(ChildNames(byToken.Root.Elements().Single()), Is.EqualTo(new[] { "service_request_id", "token" }));
        Assert.That(byToken.Root.Element("request")!.Element("service_request_id")!.Value, Is.EqualTo("2026-1"));
        var tokenJson = await Json(await _client.GetAsync($"{Base}/tokens/{token}.json"));
        Assert.That(tokenJson[0].GetProperty("token").GetString(), Is.EqualTo(token));
        Assert.That(await JsonErrors(await _client.GetAsync($"{Base}/tokens/0123456789abcdef0123456789abcdef.json"), HttpStatusCode.NotFound), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task A_multivaluelist_answer_outside_its_values_is_refused_and_nothing_is_registered()
    {
        var key = await IssueKeyAsync(_app);
        var fields = DumpingReport(key);
        fields.Add(new("attribute[waste_type][]", "diamonds"));

        var errors = await JsonErrors(await PostAsync(_client, "json", fields), HttpStatusCode.BadRequest);

        Assert.That(errors, Has.One.StartsWith("attribute[waste_type]: 'diamonds' is not one of the answers"));
        Assert.That(Count(_app, "SELECT COUNT(*) FROM cases"), Is.EqualTo(0));
    }

    [Test]
    public async Task Refusals_come_in_open311s_error_format_in_xml_and_json_and_register_nothing()
    {
        var key = await IssueKeyAsync(_app);
        List<KeyValuePair<string, string>> Without(string name) => DumpingReport(key).Where(f => f.Key != name).ToList();
        List<KeyValuePair<string, string>> With(string name, string value) => Without(name).Append(new(name, value)).ToList();

        // 403: no key, a wrong key.
        Assert.That(await XmlErrors(await PostAsync(_client, "xml", Without("api_key")), HttpStatusCode.Forbidden), Has.One.StartsWith("api_key is missing"));
        Assert.That(await JsonErrors(await PostAsync(_client, "json", With("api_key", new string('a', 64))), HttpStatusCode.Forbidden), Has.One.StartsWith("Invalid api_key"));
        // 400: no service, a place outside Alba Iulia, coordinates that are not numbers.
        Assert.That(await XmlErrors(await PostAsync(_client, "xml", Without("service_code")), HttpStatusCode.BadRequest), Has.One.StartsWith("service_code:"));
        Assert.That(await JsonErrors(await PostAsync(_client, "json", With("lat", "44.4268").Where(f => f.Key != "long").Append(new("long", "26.1025"))), HttpStatusCode.BadRequest),
            Has.One.StartsWith("lat: The place (44.4268, 26.1025) is outside"));
        Assert.That(await JsonErrors(await PostAsync(_client, "json", With("lat", "north")), HttpStatusCode.BadRequest), Has.One.StartsWith("lat: 'north' is not a number"));
        Assert.That(await XmlErrors(await PostAsync(_client, "xml", Without("lat").Where(f => f.Key is not ("long" or "address_string")).ToList()), HttpStatusCode.BadRequest),
            Has.One.StartsWith("lat: Say where the problem is"));
        // 404: a service that does not exist, another jurisdiction, a request that does not exist.
        Assert.That(await XmlErrors(await PostAsync(_client, "xml", With("service_code", "unicorns")), HttpStatusCode.NotFound), Has.One.StartsWith("service_code 'unicorns' was not found"));
        Assert.That(await JsonErrors(await PostAsync(_client, "json", With("jurisdiction_id", "sfgov.org")), HttpStatusCode.NotFound), Has.One.StartsWith("jurisdiction_id 'sfgov.org' was not found"));
        Assert.That(await XmlErrors(await _client.GetAsync($"{Base}/services.xml?jurisdiction_id=sfgov.org"), HttpStatusCode.NotFound), Has.Length.EqualTo(1));
        Assert.That(await XmlErrors(await _client.GetAsync($"{Base}/requests/2026-404.xml"), HttpStatusCode.NotFound), Has.One.Contains("2026-404"));
        Assert.That(await JsonErrors(await _client.GetAsync($"{Base}/requests/not-an-id.json"), HttpStatusCode.NotFound), Has.Length.EqualTo(1));
        // 400 on GET: a status GeoReport does not know, a date that is not W3C.
        Assert.That(await JsonErrors(await _client.GetAsync($"{Base}/requests.json?status=pending"), HttpStatusCode.BadRequest), Has.One.StartsWith("status: 'pending'"));
        Assert.That(await XmlErrors(await _client.GetAsync($"{Base}/requests.xml?start_date=yesterday"), HttpStatusCode.BadRequest), Has.One.StartsWith("start_date: 'yesterday'"));
        Assert.That(await JsonErrors(await _client.GetAsync($"{Base}/servicerequestupdates.json?end_date=9999-12-31"), HttpStatusCode.BadRequest),
            Has.One.StartsWith("end_date: '9999-12-31' is not a date within reason"));
        // Not an Open311 resource, a format we do not speak, a method a resource does not take: still Open311's format, never a problem+json.
        Assert.That(await XmlErrors(await _client.GetAsync($"{Base}/nothing-here.xml"), HttpStatusCode.NotFound), Has.Length.EqualTo(1));
        Assert.That(await XmlErrors(await _client.GetAsync($"{Base}/services.html"), HttpStatusCode.NotFound), Has.One.Contains("'html'"));
        Assert.That(await JsonErrors(await _client.DeleteAsync($"{Base}/requests.json"), HttpStatusCode.BadRequest), Has.One.StartsWith("DELETE is not a method"));
        Assert.That(await JsonErrors(await _client.PostAsync($"{Base}/requests.json", new StringContent("{\"service_code\":\"pothole\"}", System.Text.Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest), Has.One.Contains("application/x-www-form-urlencoded"));

        Assert.That(Count(_app, "SELECT COUNT(*) FROM cases"), Is.EqualTo(0));
        Assert.That(Count(_app, "SELECT COUNT(*) FROM map_reports"), Is.EqualTo(0));
    }

    [Test]
    public async Task An_admin_issues_lists_and_revokes_an_apps_key_and_a_revoked_key_is_refused()
    {
        var admin = await _app.ClientFor(StaffRole.Admin);
        var issued = await (await admin.PostAsJsonAsync("/api/open311/keys", new { appName = "Aplicația Alba Iulia Smart City" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = issued.GetProperty("apiKey").GetString()!;
        var id = issued.GetProperty("id").GetString()!;
        Assert.That(key, Does.Match("^[0-9a-f]{64}$"));
        // Stored only as its hash.
        Assert.That(Count(_app, $"SELECT COUNT(*) FROM open311_keys WHERE key_hash = '{key}' OR key_hash = '{key.ToUpperInvariant()}'"), Is.EqualTo(0));
        Assert.That(DbValue(_app, "SELECT length(key_hash) FROM open311_keys"), Is.EqualTo("64"));

        var list = await admin.GetStringAsync("/api/open311/keys");
        Assert.That(list, Does.Contain("Aplicația Alba Iulia Smart City"));
        Assert.That(list, Does.Not.Contain(key).And.Not.Contain("apiKey").And.Not.Contain("hash"));

        Assert.That(await ReportAsync(_client, DumpingReport(key)), Is.EqualTo("2026-1"));

        var revoked = await admin.PostAsJsonAsync($"/api/open311/keys/{id}/revoke", new { reason = "The app was withdrawn" });
        Assert.That(revoked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await revoked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revokedBy").GetString(), Is.EqualTo("test-admin"));

        Assert.That(await XmlErrors(await PostAsync(_client, "xml", DumpingReport(key)), HttpStatusCode.Forbidden), Has.One.StartsWith("Invalid api_key"));
        Assert.That(Count(_app, "SELECT COUNT(*) FROM cases"), Is.EqualTo(1), "the revoked app's report stays; nothing new");
        // Reading needs no key, before and after.
        Assert.That((await _client.GetAsync($"{Base}/requests/2026-1.json")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await (await _app.ClientFor(StaffRole.Dispatcher)).GetAsync("/api/open311/keys")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task A_media_url_is_stored_as_a_link_and_the_server_never_connects_to_it()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var link = $"http://127.0.0.1:{port}/evil/internal-admin.jpg";
        var key = await IssueKeyAsync(_app);
        var fields = DumpingReport(key).Where(f => f.Key != "media_url").Append(new("media_url", link)).ToList();

        var id = await ReportAsync(_client, fields);
        var shown = await Json(await _client.GetAsync($"{Base}/requests/{id}.json"));
        await Task.Delay(500);

        Assert.That(listener.Pending(), Is.False, "nobody may have connected to the app's link");
        Assert.That(shown[0].GetProperty("media_url").GetString(), Is.EqualTo(link));
        Assert.That(DbValue(_app, "SELECT media_links FROM map_reports"), Is.EqualTo($"[\"{link}\"]"));
    }

    [Test]
    public async Task No_public_answer_carries_the_reporters_name_email_phone_account_or_device()
    {
        var key = await IssueKeyAsync(_app);
        // A reporter who writes their own details into the description: GeoReport publishes it, without them.
        var id = await ReportAsync(_client, DumpingReport(key).Where(f => f.Key != "description")
            .Append(new("description", "Saci de gunoi. Sunați-mă: Ana Popescu, 0745 123 987, ana.popescu@example.com")));
        var caseId = Guid.Parse(DbValue(_app, "SELECT id FROM cases")!);
        await _app.Send(new FileCase(caseId, "Ana Popescu ne-a sunat la 0745 123 987: s-a rezolvat între timp"));
        var token = DbValue(_app, "SELECT token FROM map_reports")!;

        var bodies = new List<string>();
        foreach (var format in new[] { "xml", "json" })
            foreach (var path in new[] { $"requests/{id}", "requests", $"requests?service_request_id={id}", $"tokens/{token}", "servicerequestupdates", "services", "discovery" })
            {
                var at = path.Contains('?') ? path.Replace("?", $".{format}?") : $"{path}.{format}";
                var response = await _client.GetAsync($"{Base}/{at}");
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), at);
                bodies.Add(await response.Content.ReadAsStringAsync());
            }

        Assert.That(bodies.Count(b => b.Contains(id)), Is.EqualTo(10), "the report is in every answer about requests");
        foreach (var secret in new[] { "Ana", "Popescu", "ana.popescu@example.com", "0745", "745123987", "acct-5521", "device-7781", "sunat" })
            Assert.That(bodies, Has.None.Contains(secret), secret);
        Assert.That(bodies, Has.Some.Contains("<status_notes>Clasată.</status_notes>"), "the public text, never the clerk's note");
        Assert.That(bodies, Has.Some.Contains("<description>Saci de gunoi. Sunați-mă: […] […], […], […]</description>"));
    }

    [Test]
    public async Task Open_and_closed_follow_the_cases_lifecycle_and_updates_report_each_public_step()
    {
        var key = await IssueKeyAsync(_app);
        var first = await ReportAsync(_client, DumpingReport(key));
        var second = await ReportAsync(_client, DumpingReport(key).Where(f => f.Key != "lat" && f.Key != "long").Append(new("lat", "46.0700")).Append(new("long", "23.5800")));
        await _app.Send(new FileCase(Guid.Parse(DbValue(_app, "SELECT id FROM cases WHERE number = 1")!), "Deja ridicat"));

        async Task<string[]> Ids(string query) =>
            (await Json(await _client.GetAsync($"{Base}/requests.json?{query}"))).EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()!).ToArray();
        Assert.That(await Ids("status=open"), Is.EqualTo(new[] { second }));
        Assert.That(await Ids("status=closed"), Is.EqualTo(new[] { first }));
        Assert.That(await Ids("status=open,closed"), Is.EqualTo(new[] { second, first }), "newest first");
        Assert.That(await Ids("service_code=pothole"), Is.Empty);
        Assert.That(await Ids("service_code=pothole,illegal_dumping"), Has.Length.EqualTo(2));
        // service_request_id overrides every other argument.
        Assert.That(await Ids($"service_request_id={first},{second}&status=open&service_code=pothole"), Is.EqualTo(new[] { first, second }));

        var xml = await Xml(await _client.GetAsync($"{Base}/servicerequestupdates.xml?start_date=2026-12-02T00:00:00Z&end_date=2026-12-03T00:00:00Z"));
        Assert.That(xml.Root!.Name.LocalName, Is.EqualTo("service_request_updates"));
        var updates = xml.Root.Elements().ToList();
        Assert.That(updates.Select(u => u.Name.LocalName).Distinct(), Is.EqualTo(new[] { "request_update" }));
        Assert.That(ChildNames(updates[0]), Is.EqualTo(new[] { "update_id", "service_request_id", "status", "updated_datetime", "description", "media_url" }));
        Assert.That(updates.Select(u => $"{u.Element("service_request_id")!.Value} {u.Element("status")!.Value} {u.Element("description")!.Value}"),
            Is.EqualTo(new[] { "2026-1 open Sesizare înregistrată.", "2026-2 open Sesizare înregistrată.", "2026-1 closed Clasată." }));
        Assert.That(updates[2].Element("updated_datetime")!.Value, Is.EqualTo("2026-12-02T09:30:00+02:00"));

        var json = await Json(await _client.GetAsync($"{Base}/servicerequestupdates.json?locale=en"));
        Assert.That(json.EnumerateArray().Select(u => u.GetProperty("description").GetString()), Is.EqualTo(new[] { "Report registered.", "Report registered.", "Filed." }));
        Assert.That(json[0].GetProperty("update_id").ValueKind, Is.EqualTo(JsonValueKind.String));
    }

    [Test]
    public async Task A_report_held_for_review_or_hidden_is_not_found_publicly()
    {
        var key = await IssueKeyAsync(_app);
        var id = await ReportAsync(_client, DumpingReport(key));
        var token = DbValue(_app, "SELECT token FROM map_reports")!;
        using (var db = _app.OpenDatabase())
        using (var hide = db.CreateCommand())
        {
            hide.CommandText = "UPDATE map_reports SET hidden_at = 1, hidden_by = 'dispecer', hidden_reason = 'a face'";
            hide.ExecuteNonQuery();
        }

        Assert.That(await JsonErrors(await _client.GetAsync($"{Base}/requests/{id}.json"), HttpStatusCode.NotFound), Has.Length.EqualTo(1));
        Assert.That(await XmlErrors(await _client.GetAsync($"{Base}/tokens/{token}.xml"), HttpStatusCode.NotFound), Has.Length.EqualTo(1));
        Assert.That((await Json(await _client.GetAsync($"{Base}/requests.json"))).GetArrayLength(), Is.EqualTo(0));
        Assert.That((await Json(await _client.GetAsync($"{Base}/servicerequestupdates.json"))).GetArrayLength(), Is.EqualTo(0));
    }

    [Test]
    public async Task A_multipart_form_without_photos_is_read_like_the_urlencoded_one_and_a_file_in_another_field_is_refused()
    {
        var key = await IssueKeyAsync(_app);
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in DumpingReport(key)) form.Add(new StringContent(value), name);
        var answer = await Json(await _client.PostAsync($"{Base}/requests.json", form), HttpStatusCode.Created);
        Assert.That(answer[0].GetProperty("service_request_id").GetString(), Is.EqualTo("2026-1"));

        using var wrongField = new MultipartFormDataContent();
        foreach (var (name, value) in DumpingReport(key)) wrongField.Add(new StringContent(value), name);
        wrongField.Add(new ByteArrayContent([0x89, 0x50, 0x4E, 0x47]), "photo", "a.png");
        Assert.That(await XmlErrors(await _client.PostAsync($"{Base}/requests.xml", wrongField), HttpStatusCode.BadRequest),
            Has.One.StartsWith("The file field 'photo' is not read"));
        Assert.That(Count(_app, "SELECT COUNT(*) FROM cases"), Is.EqualTo(1));
    }
}
