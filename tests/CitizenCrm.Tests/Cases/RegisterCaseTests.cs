using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Cases;

public sealed class RegisterCaseTests
{
    private RegistryDesk _desk = null!;

    [SetUp]
    public async Task SetUp() => _desk = await RegistryDesk.OpenAsync("2026-03-02 10:00");

    [TearDown]
    public void TearDown() => _desk.Dispose();

    [Test]
    public async Task Clerk_registers_a_petition_for_a_citizen_who_then_sees_it_on_the_timeline_and_in_the_case_list()
    {
        var citizen = await _desk.NewCitizen("Ana", "Moldovan");

        var petition = await _desk.Petition(citizen, "Canalizare înfundată");

        Assert.That(petition.RegistrationNumber, Is.EqualTo("1/2026"));
        Assert.That(petition.Status, Is.EqualTo("registered"));
        Assert.That(petition.Party.Kind, Is.EqualTo("citizen"));
        Assert.That(petition.Party.DisplayName, Is.EqualTo("Ana Moldovan"));
        Assert.That(petition.RegisteredOn, Is.EqualTo(new DateOnly(2026, 3, 2)));
        Assert.That(petition.DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)), "30 days counted from the day after registration");
        Assert.That(petition.DaysLeft, Is.EqualTo(30));
        Assert.That(petition.Late, Is.False);

        var timeline = await _desk.Clerk.GetFromJsonAsync<JsonElement>($"/api/citizens/{citizen}/timeline", Json.Options);
        var registered = timeline.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "case.registered");
        Assert.That(registered.GetProperty("caseId").GetGuid(), Is.EqualTo(petition.Id));
        Assert.That(registered.GetProperty("channel").GetString(), Is.EqualTo("desk"));
        Assert.That(registered.GetProperty("summary").GetString(), Does.Contain("1/2026"));

        var list = await _desk.Clerk.GetFromJsonAsync<CitizenCases>($"/api/citizens/{citizen}/cases", Json.Options);
        Assert.That(list!.Items.Select(c => c.RegistrationNumber), Is.EqualTo(new[] { "1/2026" }));
        Assert.That(list.Items[0].DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)));
    }

    [Test]
    public async Task The_receipt_says_number_date_deadline_and_what_happens_next_and_its_page_encodes_what_was_typed()
    {
        var citizen = await _desk.NewCitizen("Ion", "<b>Pop</b>");
        var petition = await _desk.Petition(citizen, "<script>alert('x')</script> & gunoi");

        var receipt = await _desk.Clerk.GetFromJsonAsync<CaseReceipt>($"/api/cases/{petition.Id}/receipt", Json.Options);
        Assert.That(receipt!.RegistrationNumber, Is.EqualTo("1/2026"));
        Assert.That(receipt.Institution, Is.EqualTo("Primăria Municipiului Alba Iulia"));
        Assert.That(receipt.DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)));
        Assert.That(receipt.RegisteredAtLocal, Is.EqualTo("02.03.2026 10:00"));
        Assert.That(receipt.WhatHappensNext, Does.Contain("01.04.2026").And.Contain("30 de zile"));

        var page = await _desk.Clerk.GetAsync($"/api/cases/{petition.Id}/receipt.html");
        var html = await page.Content.ReadAsStringAsync();
        Assert.That(page.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Contain("1/2026").And.Contain("01.04.2026").And.Contain("Ce urmează"));
        Assert.That(html, Does.Not.Contain("<script>").And.Not.Contain("<b>Pop</b>"));
        Assert.That(html, Does.Contain("&lt;script&gt;").And.Contain("&amp; gunoi"));
    }

    [Test]
    public async Task The_city_name_on_the_receipt_is_configurable()
    {
        using var desk = await RegistryDesk.OpenAsync(settings: new Dictionary<string, string?> { ["Registry:CityName"] = "Municipiului Sfântu Gheorghe" });
        var petition = await desk.Petition(await desk.NewCitizen());

        var html = await desk.Clerk.GetStringAsync($"/api/cases/{petition.Id}/receipt.html");

        Assert.That(html, Does.Contain("Primăria Municipiului Sfântu Gheorghe"));
    }

    [Test]
    public async Task A_petition_from_an_organisation_is_registered_with_its_name_and_checked_CUI()
    {
        var petition = await _desk.RegisterOk(new
        {
            kind = "petition", channel = "email", subject = "Aviz pentru terasă",
            organisation = new { name = "Asociația de Proprietari Bloc 7", cui = "RO 185 472 90" },
        });

        Assert.That(petition.Party.Kind, Is.EqualTo("organisation"));
        Assert.That(petition.Party.DisplayName, Is.EqualTo("Asociația de Proprietari Bloc 7"));
        Assert.That(petition.Party.OrganisationCui, Is.EqualTo("18547290"));
        Assert.That(petition.Channel, Is.EqualTo("email"));
        Assert.That(petition.DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)));

        var wrong = await _desk.Register(new { kind = "petition", subject = "x", organisation = new { name = "Firma SRL", cui = "18547291" } });
        var problem = await wrong.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("organisation.cui")[0].GetString(), Does.Contain("check digit"));
    }

    [Test]
    public async Task An_anonymous_petition_is_registered_numbered_and_filed_away_without_a_deadline()
    {
        var petition = await _desk.RegisterOk(new { kind = "petition", channel = "post", subject = "Scrisoare nesemnată", anonymous = true });

        Assert.That(petition.RegistrationNumber, Is.EqualTo("1/2026"));
        Assert.That(petition.Status, Is.EqualTo("filed"));
        Assert.That(petition.Party.Kind, Is.EqualTo("anonymous"));
        Assert.That(petition.DueOn, Is.Null);
        Assert.That(petition.DaysLeft, Is.Null);
        Assert.That(petition.Note, Does.Contain("art. 7"));
        Assert.That(await _desk.HistoryKinds(petition.Id), Is.EqualTo(new[] { "case.registered" }));
        var receipt = await _desk.Clerk.GetFromJsonAsync<CaseReceipt>($"/api/cases/{petition.Id}/receipt", Json.Options);
        Assert.That(receipt!.WhatHappensNext, Does.Contain("se clasează"));

        var anonymousInfo = await _desk.Register(new { kind = "information_request", subject = "Buget", anonymous = true });
        Assert.That((await anonymousInfo.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Does.Contain("anonymous"));
    }

    [Test]
    public async Task A_contact_without_a_citizen_record_can_file_a_request()
    {
        var request = await _desk.RegisterOk(new
        {
            kind = "information_request", channel = "web", subject = "Contracte de salubritate 2025",
            contact = new { name = "Gabriel Nagy", details = "gabriel@example.org" },
        });

        Assert.That(request.Party.Kind, Is.EqualTo("contact"));
        Assert.That(request.Party.ContactDetails, Is.EqualTo("gabriel@example.org"));
        Assert.That(request.DueOn, Is.EqualTo(new DateOnly(2026, 3, 12)), "10 days (Law 544/2001)");
        Assert.That(request.RefuseBy, Is.EqualTo(new DateOnly(2026, 3, 7)), "a refusal within 5 days");
    }

    [Test]
    public async Task Exactly_one_party_is_required()
    {
        var citizen = await _desk.NewCitizen();

        var none = await _desk.Register(new { kind = "petition", subject = "x" });
        var two = await _desk.Register(new { kind = "petition", subject = "x", citizenId = citizen, contact = new { name = "A", details = "b" } });
        var unknownCitizen = await _desk.Register(new { kind = "petition", subject = "x", citizenId = Guid.NewGuid() });

        Assert.That((await none.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Does.Contain("party"));
        Assert.That((await two.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Does.Contain("party"));
        Assert.That((await unknownCitizen.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Does.Contain("citizenId"));
        Assert.That(_desk.Scalar("SELECT COUNT(*) FROM cases"), Is.EqualTo(0));
        Assert.That(_desk.Scalar("SELECT COUNT(*) FROM registration_counters"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_petition_voiced_on_the_phone_is_refused_until_written_down_and_confirmed()
    {
        var citizen = await _desk.NewCitizen();

        var spoken = await _desk.Register(new { kind = "petition", channel = "phone", subject = "Câini fără stăpân", citizenId = citizen });
        var problem = await spoken.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("writtenAndConfirmed")[0].GetString(), Does.Contain("service request"));

        var confirmed = await _desk.RegisterOk(new { kind = "petition", channel = "phone", subject = "Câini fără stăpân", citizenId = citizen, writtenAndConfirmed = true });
        var asService = await _desk.RegisterOk(new { kind = "service_request", channel = "phone", category = "public_works", subject = "Câini fără stăpân", citizenId = citizen });

        Assert.That(confirmed.Channel, Is.EqualTo("phone"));
        Assert.That(confirmed.DueOn, Is.EqualTo(new DateOnly(2026, 4, 1)));
        Assert.That(asService.Kind, Is.EqualTo("service_request"));
    }

    [Test]
    public async Task A_service_request_is_due_after_its_categorys_processing_time_which_an_admin_can_change()
    {
        var citizen = await _desk.NewCitizen();
        var fiscal = await _desk.RegisterOk(new { kind = "service_request", category = "fiscal_certificate", subject = "Certificat fiscal", citizenId = citizen });
        Assert.That(fiscal.DueOn, Is.EqualTo(new DateOnly(2026, 3, 4)));
        Assert.That(fiscal.TermDays, Is.EqualTo(2));

        var admin = await _desk.App.ClientFor(StaffRole.Admin);
        var changed = await admin.PutAsJsonAsync("/api/registry/categories/fiscal_certificate", new { name = "Certificat de atestare fiscală", processingDays = 3 });
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        var later = await _desk.RegisterOk(new { kind = "service_request", category = "fiscal_certificate", subject = "Certificat fiscal", citizenId = citizen });
        Assert.That(later.DueOn, Is.EqualTo(new DateOnly(2026, 3, 5)));

        var noCategory = await _desk.Register(new { kind = "service_request", subject = "x", citizenId = citizen });
        var unknown = await _desk.Register(new { kind = "service_request", category = "teleportation", subject = "x", citizenId = citizen });
        Assert.That((await noCategory.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Does.Contain("category"));
        Assert.That((await unknown.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Does.Contain("category"));
    }

    [Test]
    public async Task Bad_input_gets_field_errors_never_a_server_error()
    {
        var malformed = await _desk.Clerk.PostAsync("/api/cases", new StringContent("{\"kind\": ", System.Text.Encoding.UTF8, "application/json"));
        await malformed.AssertProblem(HttpStatusCode.BadRequest);
        var badGuid = await _desk.Clerk.PostAsync("/api/cases", new StringContent("{\"citizenId\": \"nope\"}", System.Text.Encoding.UTF8, "application/json"));
        await badGuid.AssertProblem(HttpStatusCode.BadRequest);
        var badKind = await _desk.Register(new { kind = "wish", subject = "", contact = new { name = "A", details = "B" } });
        Assert.That((await badKind.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.SupersetOf(new[] { "kind", "subject" }));
        var badQueue = await _desk.Clerk.GetAsync("/api/cases?dueWithinDays=abc");
        await badQueue.AssertProblem(HttpStatusCode.BadRequest);
        var missing = await _desk.Clerk.GetAsync($"/api/cases/{Guid.NewGuid()}");
        await missing.AssertProblem(HttpStatusCode.NotFound);
        var petition = await _desk.Petition(await _desk.NewCitizen());
        var emptyAssign = await _desk.Clerk.PostAsync($"/api/cases/{petition.Id}/assign", null);
        Assert.That((await emptyAssign.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Does.Contain("department"));
        var emptyAnswer = await _desk.Clerk.PostAsync($"/api/cases/{petition.Id}/answer", null);
        Assert.That((await emptyAnswer.AssertProblem(HttpStatusCode.BadRequest)).ErrorFields(), Is.SupersetOf(new[] { "text", "legalBasis", "signedBy", "sentVia" }));
        var dispatcher = await _desk.App.ClientFor(StaffRole.Dispatcher);
        var notAllowed = await dispatcher.PostAsJsonAsync("/api/cases", new { kind = "petition", subject = "x", anonymous = true });
        Assert.That(notAllowed.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
