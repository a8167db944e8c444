using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Intake;
using CitizenCrm.Tests.Infrastructure;
using Dapper;

namespace CitizenCrm.Tests.Intake;

public sealed class WebIntakeTests : WebForm
{
    [Test]
    public async Task A_citizen_sends_a_petition_with_a_letter_and_it_lands_in_the_queue_with_its_number_term_and_channel()
    {
        var response = await Send(Form(Petition(), ("scrisoare.pdf", Pdf, "application/pdf")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var receipt = await response.ReadJson<WebRequestReceipt>();
        Assert.That(receipt.RegistrationNumber, Is.EqualTo("1/2026"));
        Assert.That(receipt.RegisteredOn, Is.EqualTo(new DateOnly(2026, 3, 10)));
        Assert.That(receipt.DueOn, Is.EqualTo(new DateOnly(2026, 4, 9)), "30 days from 10 March (OG 27/2002 art. 8)");
        Assert.That(receipt.AccessCode, Does.Match("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"));
        Assert.That(receipt.Attachments, Is.EqualTo(1));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo("/api/public/requests/2026/1"));

        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);
        var queue = await (await dispatcher.GetAsync("/api/cases?dueWithinDays=60")).ReadJson<CaseQueue>();
        var item = queue.Items.Single();
        Assert.That((item.RegistrationNumber, item.DueOn, item.Kind), Is.EqualTo(("1/2026", new DateOnly(2026, 4, 9), "petition")));
        var c = await (await dispatcher.GetAsync($"/api/cases/{item.CaseId}")).ReadJson<CaseDetails>();
        Assert.That(c.Channel, Is.EqualTo("web"));
        Assert.That(c.Party.Kind, Is.EqualTo("contact"), "no citizen has this e-mail: unmatched, for a dispatcher to link");
        Assert.That((c.Party.DisplayName, c.Party.ContactDetails), Is.EqualTo(("Maria Ionescu", "maria.ionescu@example.ro")));
        Assert.That(c.Description, Does.Contain("groapă adâncă"));

        using var db = App.OpenDatabase();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM case_documents WHERE case_id = @Id AND content_type = 'application/pdf'", new { Id = c.Id }), Is.EqualTo(1));
        var intake = db.QuerySingle<(string RegisteredBy, string Hash)>("SELECT registered_by, access_code_hash FROM case_intake WHERE case_id = @Id", new { Id = c.Id });
        Assert.That(intake.RegisteredBy, Is.EqualTo("citizen"));
        Assert.That(intake.Hash, Has.Length.EqualTo(64));
        var bare = receipt.AccessCode.Replace("-", "");
        var dump = string.Join("\n", db.Query<string>("SELECT payload || summary FROM timeline").Concat(db.Query<string>("SELECT access_code_hash FROM case_intake")));
        Assert.That(dump, Does.Not.Contain(receipt.AccessCode).And.Not.Contain(bare), "the access code is stored only as its keyed hash");
    }

    [Test]
    public async Task A_sender_whose_email_belongs_to_exactly_one_citizen_is_that_citizen()
    {
        var citizen = await Clerk.PostAsJsonAsync("/api/citizens", new
        {
            nationalId = TestData.NewCnp(sex: 2), firstName = "Maria", lastName = "Ionescu", emails = new[] { "maria.ionescu@example.ro" },
        });
        var id = (await citizen.ReadJson<CitizenCrm.Core.Citizens.Citizen>()).Id;

        var response = await SendJson(new { kind = "information_request", name = "M. Ionescu", email = "Maria.Ionescu@Example.ro", subject = "Bugetul pe 2026" });

        var receipt = await response.ReadJson<WebRequestReceipt>();
        Assert.That(receipt.DueOn, Is.EqualTo(new DateOnly(2026, 3, 20)), "10 days for public information (Law 544/2001 art. 7)");
        var c = (await (await Clerk.GetAsync($"/api/citizens/{id}/cases")).ReadJson<CitizenCases>()).Items.Single();
        Assert.That(c.RegistrationNumber, Is.EqualTo("1/2026"));
    }

    [Test]
    public async Task A_phone_number_shared_by_two_citizens_leaves_the_request_unmatched()
    {
        await Clerk.RegisterCitizen(firstName: "Ion", phone: "0745 111 222");
        await Clerk.RegisterCitizen(firstName: "Ana", phone: "0745 111 222");

        var response = await SendJson(new { kind = "petition", name = "Ion Popescu", phone = "+40745111222", subject = "Zgomot noaptea" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        using var db = App.OpenDatabase();
        Assert.That(db.QuerySingle<(string, string?)>("SELECT party_kind, citizen_id FROM cases"), Is.EqualTo(("contact", (string?)null)));
    }

    [Test]
    public async Task A_service_request_for_a_web_service_gets_the_catalogue_term_and_one_the_web_does_not_take_is_refused()
    {
        var fields = new Dictionary<string, string>
        {
            ["kind"] = "service_request", ["service"] = "pothole", ["name"] = "Radu Pop", ["phone"] = "0722 333 444", ["subject"] = "Groapă pe Calea Moților",
        };
        var receipt = await (await Send(Form(fields, ("groapa.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10], "image/jpeg")))).ReadJson<WebRequestReceipt>();
        Assert.That((receipt.Kind, receipt.DueOn), Is.EqualTo(("service_request", (DateOnly?)new DateOnly(2026, 3, 20))), "pothole: 10 days in the catalogue");

        fields["service"] = "marriage";
        var problem = await (await Send(Form(fields))).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("channel")[0].GetString(), Does.Contain("cannot be requested by web"));
        Assert.That(Count("cases"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_bot_that_fills_the_hidden_website_field_is_answered_as_if_accepted_and_nothing_is_registered()
    {
        var fields = Petition();
        fields["website"] = "http://cheap-pills.example";

        var response = await Send(Form(fields, ("x.pdf", Pdf, "application/pdf")));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), "the bot must not learn it was caught");
        var receipt = await response.ReadJson<WebRequestReceipt>();
        Assert.That(receipt.RegistrationNumber, Does.EndWith("/2026"));
        Assert.That(receipt.DueOn, Is.EqualTo(new DateOnly(2026, 4, 9)));
        Assert.That(receipt.AccessCode, Has.Length.EqualTo(14));
        foreach (var table in new[] { "cases", "case_intake", "case_documents", "timeline WHERE case_id IS NOT NULL", "registration_counters" })
            Assert.That(Count(table), Is.EqualTo(0), table);
        await (await Status(receipt.StatusUrl, receipt.AccessCode)).AssertProblem(HttpStatusCode.NotFound);
        Assert.That(Directory.Exists(Path.Combine(App.DataFolder, "documents")) ? Directory.GetFiles(Path.Combine(App.DataFolder, "documents"), "*", SearchOption.AllDirectories) : [],
            Is.Empty, "no file kept for a bot either");
    }

    [Test]
    public async Task Missing_fields_are_named_all_at_once_and_nothing_is_written()
    {
        var problem = await (await Send(Form(new Dictionary<string, string> { ["kind"] = "complaint", ["email"] = "not-an-address" })))
            .AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.ErrorFields(), Is.EquivalentTo(new[] { "kind", "name", "email", "subject" }));
        Assert.That(Count("cases") + Count("timeline WHERE case_id IS NOT NULL"), Is.EqualTo(0));
    }

    [Test]
    public async Task Without_an_email_or_a_phone_the_city_hall_could_not_answer_so_the_request_is_refused()
    {
        var problem = await (await SendJson(new { kind = "petition", name = "Maria Ionescu", subject = "Groapă" })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").GetProperty("email")[0].GetString(), Does.Contain("e-mail address or a phone number"));
    }

    [Test]
    public async Task A_refused_attachment_refuses_the_whole_request_before_anything_is_registered()
    {
        var exe = "MZ\u0090\u0000 this is a program"u8.ToArray();
        var response = await Send(Form(Petition(), ("scrisoare.pdf", Pdf, "application/pdf"), ("poza.pdf", exe, "application/pdf")));

        var problem = await response.AssertProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("'poza.pdf'").And.Contain("nothing was registered"));
        foreach (var table in new[] { "cases", "case_intake", "case_documents", "timeline WHERE case_id IS NOT NULL", "registration_counters" })
            Assert.That(Count(table), Is.EqualTo(0), table);

        // The number was not burnt: the next request is the first of the year.
        var next = await (await Send(Form(Petition(), ("scrisoare.pdf", Pdf, "application/pdf")))).ReadJson<WebRequestReceipt>();
        Assert.That(next.RegistrationNumber, Is.EqualTo("1/2026"));
    }

    [Test]
    public async Task Six_attachments_are_one_too_many()
    {
        var files = Enumerable.Range(1, 6).Select(i => ($"p{i}.pdf", Pdf, "application/pdf")).ToArray();
        var problem = await (await Send(Form(Petition(), files))).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "attachments" }));
        Assert.That(Count("cases"), Is.EqualTo(0));
    }

    [Test]
    public async Task A_body_that_is_neither_a_form_nor_json_gets_415_and_broken_json_a_400()
    {
        await (await Public.PostAsync("/api/public/requests", new StringContent("kind=petition", System.Text.Encoding.UTF8, "text/plain")))
            .AssertProblem(HttpStatusCode.UnsupportedMediaType);
        await (await Public.PostAsync("/api/public/requests", new StringContent("{\"kind\":", System.Text.Encoding.UTF8, "application/json")))
            .AssertProblem(HttpStatusCode.BadRequest);
        await (await Public.PostAsync("/api/public/requests", new StringContent("--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\npet", System.Text.Encoding.UTF8)
            { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=B") } }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(Count("cases"), Is.EqualTo(0));
    }
}
