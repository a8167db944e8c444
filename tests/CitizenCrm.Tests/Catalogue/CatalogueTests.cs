using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Cases;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.Catalogue;

public sealed class CatalogueTests
{
    private RegistryDesk _desk = null!;

    [SetUp]
    public async Task SetUp() => _desk = await RegistryDesk.OpenAsync("2026-03-02 10:00"); // a Monday

    [TearDown]
    public void TearDown() => _desk.Dispose();

    private async Task<List<CatalogueService>> Guide(string query = "")
    {
        var response = await _desk.App.CreateClient().GetAsync("/api/catalogue/services" + query);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.ReadJson<List<CatalogueService>>())!;
    }

    /// <summary>The pothole category as an admin would send it back, with the changes the test wants.</summary>
    private static object Pothole(int processingDays = 10, string[]? channels = null) => new
    {
        names = new { ro = "Groapă în carosabil", en = "Pothole in the road", hu = "Kátyú az úttesten" },
        descriptions = new { ro = "Semnalați o groapă.", en = "Report a pothole.", hu = "Jelezze a kátyút." },
        department = "Direcția Tehnică – Drumuri și Lucrări Publice",
        documents = Array.Empty<object>(),
        feeLei = 0,
        processingDays,
        channels = channels ?? ["desk", "phone", "web", "email", "map", "field"],
        incident = true,
        attributes = new object[]
        {
            new
            {
                code = "size", datatype = "singlevaluelist", required = true,
                questions = new { ro = "Cât de mare este groapa?", en = "How big is the pothole?", hu = "Mekkora a kátyú?" },
                values = new object[]
                {
                    new { key = "small", names = new { ro = "Mică", en = "Small", hu = "Kicsi" } },
                    new { key = "large", names = new { ro = "Mare", en = "Large", hu = "Nagy" } },
                },
            },
        },
    };

    [Test]
    public async Task Anyone_reads_the_guide_without_signing_in_and_every_service_is_named_in_romanian_english_and_hungarian()
    {
        var guide = await Guide();

        Assert.That(guide, Has.Count.EqualTo(46));
        Assert.That(guide.Where(s => string.IsNullOrWhiteSpace(s.Names.Ro) || string.IsNullOrWhiteSpace(s.Names.En) || string.IsNullOrWhiteSpace(s.Names.Hu)
                                     || string.IsNullOrWhiteSpace(s.Descriptions.Ro) || string.IsNullOrWhiteSpace(s.Descriptions.En)
                                     || string.IsNullOrWhiteSpace(s.Descriptions.Hu) || s.Channels.Count == 0)
            .Select(s => s.Code), Is.Empty);
        var pothole = guide.Single(s => s.Code == "pothole");
        Assert.That(pothole.Names, Is.EqualTo(new Translations("Groapă în carosabil", "Pothole in the road", "Kátyú az úttesten")));
        Assert.That(pothole.Name, Is.EqualTo("Groapă în carosabil"), "Romanian unless asked otherwise");
        Assert.That(guide.Single(s => s.Code == "marriage").Names, Is.EqualTo(new Translations("Încheierea căsătoriei", "Civil marriage", "Házasságkötés")));
        Assert.That(guide.Single(s => s.Code == "urbanism_certificate").Names,
            Is.EqualTo(new Translations("Certificat de urbanism", "Town-planning certificate", "Városrendezési bizonyítvány")));
        Assert.That(guide.Single(s => s.Code == "street_light").Department, Is.EqualTo("Serviciul Iluminat Public"));
        Assert.That(guide.Single(s => s.Code == "urbanism_certificate").FeeLei, Is.EqualTo(15.00m));
        Assert.That(guide.Single(s => s.Code == "administrative_divorce").FeeLei, Is.EqualTo(500.00m));

        // One of each area a municipality's guide covers.
        Assert.That(guide.Select(s => s.Department).Distinct(), Is.SupersetOf(new[]
        {
            "Direcția de Impozite și Taxe Locale", "Direcția Urbanism și Amenajarea Teritoriului",
            "Serviciul Public Comunitar Local de Evidență a Persoanelor – Stare Civilă", "Direcția de Asistență Socială",
            "Direcția Tehnică – Drumuri și Lucrări Publice", "Serviciul Parcări", "Biroul de Informare și Relații Publice",
        }));

        var inHungarian = await _desk.App.CreateClient().GetFromJsonAsync<CatalogueService>("/api/catalogue/services/pothole?lang=hu", Json.Options);
        Assert.That(inHungarian!.Name, Is.EqualTo("Kátyú az úttesten"));
        Assert.That(inHungarian.Lang, Is.EqualTo("hu"));
        Assert.That(inHungarian.Incident, Is.True);
        var size = inHungarian.Attributes[0];
        Assert.That((size.Code, size.Datatype, size.Required, size.Order, size.Description), Is.EqualTo(("size", "singlevaluelist", true, 1, "Mekkora a kátyú?")));
        Assert.That(size.Values.Select(v => (v.Key, v.Name)), Is.EqualTo(new[] { ("small", "Kicsi (30 cm alatt)"), ("medium", "Közepes (30–100 cm)"), ("large", "Nagy (1 m felett)") }));
        Assert.That(inHungarian.Attributes[1].Datatype, Is.EqualTo("number"));

        var fiscal = await _desk.App.CreateClient().GetFromJsonAsync<CatalogueService>("/api/catalogue/services/fiscal_certificate?lang=en", Json.Options);
        Assert.That(fiscal!.Name, Is.EqualTo("Tax clearance certificate"));
        Assert.That(fiscal.Documents.Select(d => d.Name), Is.EqualTo(new[] { "Standard application form, filled in and signed", "Identity document (copy)" }));

        var incidents = await Guide("?incidents=true&lang=en");
        Assert.That(incidents.Select(s => s.Code), Is.EqualTo(new[]
        {
            "abandoned_vehicle", "damaged_pavement", "fallen_tree", "graffiti", "illegal_dumping", "illegal_parking", "manhole_cover",
            "missed_collection", "pothole", "snow_ice", "stray_dogs", "street_light", "traffic_sign",
        }));
        Assert.That(incidents.All(s => s.Channels.Contains("map")), Is.True);
    }

    [Test]
    public async Task The_registrys_category_codes_are_still_there_and_its_old_endpoints_still_answer()
    {
        string[] old = ["building_permit", "civil_status", "fiscal_certificate", "general", "parking_permit", "public_works", "urbanism_certificate"];
        var guide = await Guide();
        Assert.That(guide.Select(s => s.Code), Is.SupersetOf(old));

        var categories = await _desk.Clerk.GetFromJsonAsync<List<ServiceCategory>>("/api/registry/categories", Json.Options);
        Assert.That(categories!.Select(c => c.Code), Is.SupersetOf(old));
        Assert.That(categories!.Single(c => c.Code == "fiscal_certificate"), Is.EqualTo(new ServiceCategory("fiscal_certificate", "Certificat de atestare fiscală", 2, true)));

        var citizen = await _desk.NewCitizen();
        foreach (var code in old)
        {
            var c = await _desk.RegisterOk(new { kind = "service_request", category = code, subject = "Cerere", citizenId = citizen });
            Assert.That(c.TermDays, Is.EqualTo(guide.Single(s => s.Code == code).ProcessingDays), code);
        }
    }

    [Test]
    public async Task An_admins_changes_are_recorded_with_who_made_them_and_what_changed()
    {
        var admin = await _desk.App.ClientFor(StaffRole.Admin);

        var changed = await admin.PutAsJsonAsync("/api/catalogue/services/pothole", Pothole(processingDays: 7));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        var pothole = await changed.ReadJson<CatalogueService>();
        Assert.That((pothole.ProcessingDays, pothole.UpdatedBy), Is.EqualTo((7, "test-admin")));
        Assert.That(pothole.Attributes.Single().Values.Select(v => v.Key), Is.EqualTo(new[] { "small", "large" }));

        var added = await admin.PostAsJsonAsync("/api/catalogue/services", new
        {
            code = "wasp_nest",
            names = new { ro = "Cuib de viespi pe domeniul public", en = "Wasp nest on public property", hu = "Darázsfészek közterületen" },
            department = "Direcția de Sănătate Publică", feeLei = 0, processingDays = 3, channels = new[] { "phone", "web", "map" }, incident = true,
        });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Created), await added.Content.ReadAsStringAsync());
        Assert.That(added.Headers.Location!.ToString(), Is.EqualTo("/api/catalogue/services/wasp_nest"));
        var again = await admin.PostAsJsonAsync("/api/catalogue/services", new
        {
            code = "wasp_nest", names = new { ro = "x", en = "x", hu = "x" }, department = "x", feeLei = 0, processingDays = 3, channels = new[] { "desk" },
        });
        await again.AssertProblem(HttpStatusCode.Conflict);

        // The registry's older endpoint changes the same service and leaves the same trace.
        var viaRegistry = await admin.PutAsJsonAsync("/api/registry/categories/fiscal_certificate", new { name = "Certificat de atestare fiscală", processingDays = 3 });
        Assert.That(viaRegistry.StatusCode, Is.EqualTo(HttpStatusCode.OK), await viaRegistry.Content.ReadAsStringAsync());

        var history = await admin.GetFromJsonAsync<List<CatalogueChange>>("/api/catalogue/services/pothole/history", Json.Options);
        var change = history!.Single();
        Assert.That((change.Actor, change.Change, change.ServiceCode), Is.EqualTo(("test-admin", "changed", "pothole")));
        Assert.That(change.Summary, Is.EqualTo("Service pothole changed: descriptions, processingDays, attributes (term 10 → 7 days)"));
        Assert.That(change.ChangedAt, Is.EqualTo(RegistryDesk.Local("2026-03-02 10:00")));
        Assert.That(change.Before!.Value.GetProperty("processingDays").GetInt32(), Is.EqualTo(10));
        Assert.That(change.After.GetProperty("processingDays").GetInt32(), Is.EqualTo(7));

        var addedHistory = await admin.GetFromJsonAsync<List<CatalogueChange>>("/api/catalogue/services/wasp_nest/history", Json.Options);
        Assert.That(addedHistory!.Select(h => (h.Actor, h.Change, h.Summary)),
            Is.EqualTo(new[] { ("test-admin", "added", "Service wasp_nest added to the catalogue: Cuib de viespi pe domeniul public, 3 days") }));
        Assert.That(addedHistory![0].Before, Is.Null);
        var fiscalHistory = await admin.GetFromJsonAsync<List<CatalogueChange>>("/api/catalogue/services/fiscal_certificate/history", Json.Options);
        Assert.That(fiscalHistory!.Select(h => (h.Actor, h.Summary)),
            Is.EqualTo(new[] { ("test-admin", "Service fiscal_certificate changed: processingDays (term 2 → 3 days)") }));

        using var db = _desk.App.OpenDatabase();
        var events = db.Query<(string Kind, string Actor)>(
            "SELECT kind AS Kind, actor AS Actor FROM timeline WHERE kind LIKE 'catalogue.%' ORDER BY seq").ToList();
        Assert.That(events, Is.EqualTo(new[]
        {
            ("catalogue.service_changed", "test-admin"), ("catalogue.service_added", "test-admin"), ("catalogue.service_changed", "test-admin"),
        }));
    }

    [Test]
    public async Task An_admin_sends_back_the_service_as_read_with_one_field_changed_and_only_that_field_changes()
    {
        var admin = await _desk.App.ClientFor(StaffRole.Admin);
        var read = System.Text.Json.Nodes.JsonNode.Parse(await admin.GetStringAsync("/api/catalogue/services/street_light?lang=en"))!;
        read["feeLei"] = 12.5m;

        var saved = await admin.PutAsync("/api/catalogue/services/street_light",
            new StringContent(read.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());

        var history = await admin.GetFromJsonAsync<List<CatalogueChange>>("/api/catalogue/services/street_light/history", Json.Options);
        Assert.That(history!.Single().Summary, Is.EqualTo("Service street_light changed: feeLei"));
        var light = await admin.GetFromJsonAsync<CatalogueService>("/api/catalogue/services/street_light", Json.Options);
        Assert.That(light!.FeeLei, Is.EqualTo(12.50m));
        Assert.That(light.Attributes.Select(a => a.Code), Is.EqualTo(new[] { "problem", "pole_number" }));
        Assert.That(light.Attributes[0].Values.Select(v => v.Names.Hu), Is.EqualTo(new[] { "Nem gyullad fel", "Villog", "Nappal is ég", "Sérült oszlop vagy lelógó vezetékek" }));
        using var db = _desk.App.OpenDatabase();
        Assert.That(db.ExecuteScalar<long>("SELECT fee_bani FROM service_categories WHERE code = 'street_light'"), Is.EqualTo(1250), "kept in bani");
    }

    [Test]
    public async Task A_clerk_may_read_the_guide_but_not_change_it_and_nobody_else_sees_its_history()
    {
        var refused = await _desk.Clerk.PutAsJsonAsync("/api/catalogue/services/pothole", Pothole(processingDays: 1));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var added = await _desk.Clerk.PostAsJsonAsync("/api/catalogue/services", new { code = "x" });
        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var anonymous = await _desk.App.CreateClient().PutAsJsonAsync("/api/catalogue/services/pothole", Pothole(processingDays: 1));
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await _desk.Clerk.GetAsync("/api/catalogue/services/pothole/history")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        Assert.That((await Guide()).Single(s => s.Code == "pothole").ProcessingDays, Is.EqualTo(10));
        using var db = _desk.App.OpenDatabase();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM service_catalogue_changes"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_service_request_takes_its_term_from_the_catalogue()
    {
        var citizen = await _desk.NewCitizen();

        var pothole = await _desk.RegisterOk(new { kind = "service_request", channel = "web", service = "pothole", subject = "Groapă pe str. Lalelelor", citizenId = citizen });
        Assert.That((pothole.TermDays, pothole.DueOn), Is.EqualTo(((int?)10, (DateOnly?)new DateOnly(2026, 3, 12))));

        var admin = await _desk.App.ClientFor(StaffRole.Admin);
        Assert.That((await admin.PutAsJsonAsync("/api/catalogue/services/pothole", Pothole(processingDays: 7))).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var later = await _desk.RegisterOk(new { kind = "service_request", channel = "phone", category = "pothole", subject = "Altă groapă", citizenId = citizen });
        Assert.That((later.TermDays, later.DueOn), Is.EqualTo(((int?)7, (DateOnly?)new DateOnly(2026, 3, 9))));
        var reread = await _desk.Clerk.GetFromJsonAsync<CaseDetails>($"/api/cases/{pothole.Id}", Json.Options);
        Assert.That(reread!.DueOn, Is.EqualTo(new DateOnly(2026, 3, 12)), "a case keeps the term it was given");

        // The phone robot is a phone line: a service taking phone requests takes the robot's.
        var byRobot = await _desk.RegisterOk(new { kind = "service_request", channel = "ivr", service = "street_light", subject = "Stâlp stins", citizenId = citizen });
        Assert.That(byRobot.DueOn, Is.EqualTo(new DateOnly(2026, 3, 7)));
    }

    [Test]
    public async Task A_service_asked_for_through_a_channel_it_does_not_take_is_refused_saying_which_it_takes()
    {
        var citizen = await _desk.NewCitizen();

        var byPhone = await _desk.Register(new { kind = "service_request", channel = "phone", service = "marriage", subject = "Vrem să ne căsătorim", citizenId = citizen });
        var problem = await byPhone.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "channel" }));
        Assert.That(problem.GetProperty("errors").GetProperty("channel")[0].GetString(),
            Is.EqualTo("The service 'marriage' cannot be requested by phone; it accepts: desk."));
        var byEmail = await _desk.Register(new { kind = "service_request", channel = "email", category = "illegal_parking", subject = "Mașină pe trotuar", citizenId = citizen });
        Assert.That((await byEmail.AssertProblem(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("channel")[0].GetString(),
            Is.EqualTo("The service 'illegal_parking' cannot be requested by email; it accepts: phone, web, map, field."));

        using var db = _desk.App.OpenDatabase();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM cases"), Is.EqualTo(0), "nothing registered, no number burnt");
    }

    [Test]
    public async Task Bad_input_gets_a_4xx_naming_the_fields_and_changes_nothing()
    {
        var admin = await _desk.App.ClientFor(StaffRole.Admin);
        var anyone = _desk.App.CreateClient();

        Assert.That((await (await anyone.GetAsync("/api/catalogue/services?lang=fr")).AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "lang" }));
        await (await anyone.GetAsync("/api/catalogue/services/teleportation")).AssertProblem(HttpStatusCode.NotFound);
        await (await anyone.GetAsync("/api/catalogue/services/DROP%20TABLE")).AssertProblem(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/catalogue/services/teleportation/history")).AssertProblem(HttpStatusCode.NotFound);
        await (await admin.PutAsJsonAsync("/api/catalogue/services/teleportation", Pothole())).AssertProblem(HttpStatusCode.NotFound);
        await (await admin.PutAsync("/api/catalogue/services/pothole", new StringContent("{\"names\": ", System.Text.Encoding.UTF8, "application/json")))
            .AssertProblem(HttpStatusCode.BadRequest);

        var empty = await (await admin.PostAsJsonAsync("/api/catalogue/services", new { })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(empty.ErrorFields(), Is.EquivalentTo(new[] { "code", "names.ro", "names.en", "names.hu", "department", "feeLei", "processingDays", "channels" }));

        var wrong = await (await admin.PutAsJsonAsync("/api/catalogue/services/pothole", new
        {
            names = new { ro = "Groapă", en = "Pothole", hu = "" },
            department = "Drumuri", feeLei = 10.005m, processingDays = 0, channels = new[] { "desk", "fax" }, incident = true,
            documents = new[] { new { names = new { ro = "Cerere", en = "Form" } } },
            attributes = new object[]
            {
                new { code = "Size!", datatype = "colour", questions = new { ro = "?", en = "?", hu = "?" } },
                new { code = "depth", datatype = "singlevaluelist", questions = new { ro = "?", en = "?", hu = "?" } },
                new { code = "kind", datatype = "number", questions = new { ro = "?", en = "?", hu = "?" }, values = new[] { new { key = "a", names = new { ro = "a", en = "a", hu = "a" } } } },
                new { code = "lane", datatype = "singlevaluelist", questions = new { ro = "?", en = "?", hu = "?" }, values = new[] { new { key = "left", names = new { ro = "stânga\u001b[2J", en = "left", hu = "bal" } } } },
            },
        })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(wrong.ErrorFields(), Is.EquivalentTo(new[]
        {
            "names.hu", "feeLei", "processingDays", "channels", "documents[0].names.hu", "attributes[0].code", "attributes[0].datatype",
            "attributes[1].values", "attributes[2].values", "attributes[3].values[0].names.ro",
        }));

        var notAnIncident = await (await admin.PutAsJsonAsync("/api/catalogue/services/pothole", new
        {
            names = new { ro = "Groapă", en = "Pothole", hu = "Kátyú" }, department = "Drumuri", feeLei = 0, processingDays = 5, channels = new[] { "desk" },
            incident = false, attributes = new[] { new { code = "size", datatype = "string", questions = new { ro = "?", en = "?", hu = "?" } } },
        })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(notAnIncident.ErrorFields(), Is.EqualTo(new[] { "attributes" }));
        var offTheMap = await (await admin.PutAsJsonAsync("/api/catalogue/services/pothole", Pothole(channels: ["desk", "phone"]))).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(offTheMap.GetProperty("errors").GetProperty("channels")[0].GetString(), Is.EqualTo("An incident category is shown on the map, so it accepts the map channel."));

        var citizen = await _desk.NewCitizen();
        var twoServices = await _desk.Register(new { kind = "service_request", service = "pothole", category = "graffiti", subject = "x", citizenId = citizen });
        Assert.That((await twoServices.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "service" }));
        var unknown = await _desk.Register(new { kind = "service_request", service = "teleportation", subject = "x", citizenId = citizen });
        Assert.That((await unknown.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "service" }));
        var petitionWithService = await _desk.Register(new { kind = "petition", service = "pothole", subject = "x", citizenId = citizen });
        Assert.That((await petitionWithService.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.EqualTo(new[] { "service" }));

        Assert.That((await Guide()).Single(s => s.Code == "pothole").ProcessingDays, Is.EqualTo(10));
        using var db = _desk.App.OpenDatabase();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM service_catalogue_changes"), Is.EqualTo(0));
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM cases"), Is.EqualTo(0));
    }
}
