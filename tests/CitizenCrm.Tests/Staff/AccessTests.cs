using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using CitizenCrm.Tests.Api;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Staff;

public sealed class AccessTests
{
    private FakeTimeProvider _clock = null!;
    private CrmTestApp _app = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 8, 0, 0, TimeSpan.Zero));
        _app = new CrmTestApp(clock: _clock);
    }

    [TearDown]
    public void TearDown() => _app.Dispose();

    /// <summary>
    /// Who may call what: the README's "| endpoint | who |" tables (and the phone section's prose), one row per table
    /// row, in the OpenAPI document's spelling of paths. Keep the two in step; the test below holds the server to it.
    /// </summary>
    internal static readonly (string Operations, string Who)[] WhoMayCall =
    [
        ("GET /", "anyone"),
        ("POST /api/auth/sign-in", "anyone"),
        ("POST /api/auth/sign-out, GET /api/auth/me", "signed in"),
        // The console's sign-in refuses anyone without the console's own header (anti-forgery); its sign-out is open.
        ("POST /api/auth/console/sign-in", "the console's header"),
        ("POST /api/auth/console/sign-out", "anyone"),
        ("GET /api/auth/console/me", "signed in"),
        ("GET /api/staff-users, POST /api/staff-users, POST /api/staff-users/{id}/disable, POST /api/staff-users/{id}/enable, POST /api/staff-users/{id}/password", "admin"),
        ("POST /api/citizens, PUT /api/citizens/{id}, POST /api/citizens/{id}/phone-pin", "clerk, supervisor"),
        ("POST /api/citizens/search, GET /api/citizens/{id}, GET /api/citizens/{id}/timeline, POST /api/citizens/{id}/interactions", "clerk, dispatcher, supervisor"),
        ("GET /api/timeline", "dispatcher, supervisor"),
        ("GET /api/timeline/cases/{caseId}, GET /api/timeline/calls/{correlation}", "clerk, dispatcher, supervisor"),
        ("GET /api/audit", "supervisor"),
        ("GET /api/calendar/non-working-days/{year}", "signed in"),
        ("POST /api/calendar/non-working-days", "admin"),
        ("POST /api/cases, POST /api/cases/{id}/assign, POST /api/cases/{id}/start, POST /api/cases/{id}/answer, POST /api/cases/{id}/close, " +
         "POST /api/cases/{id}/forward, POST /api/cases/{id}/join, POST /api/cases/{id}/file, POST /api/cases/{id}/reject, POST /api/cases/{id}/extend, " +
         "POST /api/cases/{id}/notify-extended-term, POST /api/cases/{id}/documents", "clerk, supervisor"),
        ("GET /api/cases, GET /api/cases/{id}, GET /api/cases/{id}/receipt, GET /api/cases/{id}/receipt.html, GET /api/cases/{id}/documents/{sha256}, " +
         "GET /api/citizens/{id}/cases, GET /api/citizens/{id}/cases/by-number/{number}, GET /api/cases/by-registration-number/{number}/{year}, " +
         "POST /api/cases/{id}/notes", "clerk, dispatcher, supervisor"),
        ("GET /api/registry/categories, GET /api/registry/registers", "signed in"),
        ("PUT /api/registry/categories/{code}, POST /api/registry/registers", "admin"),
        ("GET /api/catalogue/services, GET /api/catalogue/services/{code}", "anyone"),
        ("POST /api/catalogue/services, PUT /api/catalogue/services/{code}, GET /api/catalogue/services/{code}/history", "admin"),
        ("GET /api/citizens/{id}/taxes, GET /api/citizens/{id}/fines", "clerk, dispatcher, supervisor"),
        ("POST /api/revenue/imports", "admin"),
        ("POST /api/citizens/imports", "admin"),
        ("GET /api/phone/queue, POST /api/phone/requests/{id}/done", "dispatcher, supervisor"),
        ("POST /api/citizens/{id}/phone-access/unlock", "clerk, supervisor"),
        ("POST /api/phone/scripts/reload", "admin"),
        ("GET /api/jobs, POST /api/jobs/{name}/run, POST /api/jobs/{name}/pause, POST /api/jobs/{name}/resume", "admin"),
        ("GET /api/notifications", "dispatcher, supervisor, admin"),
        ("POST /api/notifications/{id}/retry", "dispatcher, admin"),
        ("GET /api/notification-templates, GET /api/notification-templates/{kind}/{language}, PUT /api/notification-templates/{kind}/{language}", "admin"),
        ("POST /api/public/requests, GET /api/public/requests/{year}/{number}, GET /api/public/requests/{year}/{number}/answer", "anyone"),
        ("POST /api/public/reports, GET /api/public/reports/{id}", "anyone"),
        ("POST /api/intake/phone", "clerk, dispatcher, supervisor"),
        ("POST /api/intake/field", "clerk, dispatcher, supervisor, volunteer"),
        ("GET /api/dispatch/queue, GET /api/dispatch/stream, POST /api/dispatch/cases/{id}/claim", "clerk, dispatcher, supervisor"),
        ("GET /api/dispatch/assignees, POST /api/dispatch/cases/{id}/assign, POST /api/dispatch/cases/assign, POST /api/dispatch/cases/{id}/priority, POST /api/dispatch/cases/{id}/link, " +
         "POST /api/dispatch/cases/{id}/duplicate, POST /api/dispatch/cases/{id}/reclassify", "dispatcher, supervisor"),
        ("GET /api/reports/interactions, GET /api/reports/cases, GET /api/reports/answer-times, GET /api/reports/phone-robot, " +
         "GET /api/reports/notifications, GET /api/reports/daily-snapshots, GET /api/reports/law-544, GET /api/reports/petitions", "supervisor, admin"),
        ("GET /media/photos/{id}, GET /media/photos/{id}/thumbnail", "anyone"),
        ("POST /api/data-requests/{id}/erase", "supervisor"),
        ("GET /api/map/reports/{caseId}/photos", "clerk, dispatcher, supervisor"),
        ("POST /api/map/reports/{caseId}/photos/{photoId}/publish, POST /api/map/reports/{caseId}/photos/{photoId}/hide", "dispatcher, supervisor"),
        ("GET /api/public/map/incidents", "anyone"),
        ("GET /api/map/incidents", "clerk, dispatcher, supervisor"),
        ("POST /api/map/reports/{caseId}/hide, POST /api/map/reports/{caseId}/show, POST /api/map/reports/{caseId}/publish", "dispatcher, supervisor"),
        ("POST /api/open311/keys, GET /api/open311/keys, POST /api/open311/keys/{id}/revoke", "admin"),
        ("POST /api/citizens/{id}/data-requests, GET /api/data-requests, GET /api/data-requests/{id}, POST /api/data-requests/{id}/extend, " +
         "POST /api/data-requests/{id}/refuse, POST /api/data-requests/{id}/export", "supervisor"),
        ("PUT /api/citizens/{id}/national-id, PUT /api/cases/{id}/contact", "clerk, supervisor"), // rectification (GDPR art. 16)
        // Open311 needs no staff role: apps read without a key, and POST requests asks an Open311 api_key in its form (no key: 403
        // in Open311's format; this table's JSON body is refused 400 before that, as GeoReport v2 posts forms).
        ("GET /open311/v2/discovery.{format}, GET /open311/v2/services.{format}, GET /open311/v2/services/{code}.{format}, GET /open311/v2/requests.{format}, " +
         "GET /open311/v2/requests/{id}.{format}, GET /open311/v2/tokens/{token}.{format}, GET /open311/v2/servicerequestupdates.{format}, " +
         "POST /open311/v2/requests.{format}", "anyone"),
        // Twilio's webhooks take no token: without a valid X-Twilio-Signature everyone gets 403.
        ("GET /twilio/voice/incoming, POST /twilio/voice/incoming, GET /twilio/voice/turn, POST /twilio/voice/turn, GET /twilio/voice/wait, " +
         "POST /twilio/voice/wait, GET /twilio/voice/status, POST /twilio/voice/status, GET /twilio/voice/fallback, POST /twilio/voice/fallback, " +
         "GET /twilio/voice/operator, POST /twilio/voice/operator, GET /twilio/voice/bridged, POST /twilio/voice/bridged", "Twilio signature"),
    ];

    internal static Dictionary<string, string> WhoMayCallByOperation() =>
        WhoMayCall.SelectMany(row => row.Operations.Split(", ").Select(op => (op, row.Who))).ToDictionary(x => x.op, x => x.Who);

    /// <summary>Values for the document's path placeholders: nothing exists there, which is fine for who-may-call.</summary>
    internal static readonly Dictionary<string, string> AnyIds = new()
    {
        ["id"] = "0b6c5f5e-9d1c-4c55-9a51-2b0f3c3a7d10", ["caseId"] = "0b6c5f5e-9d1c-4c55-9a51-2b0f3c3a7d11",
        ["correlation"] = "CA0123456789abcdef0123456789abcdef", ["year"] = "2026", ["number"] = "1",
        ["sha256"] = "0000000000000000000000000000000000000000000000000000000000000000", ["code"] = "PARKING", ["name"] = "imap-poll",
        ["kind"] = "acknowledgement", ["language"] = "ro",
        ["photoId"] = "0b6c5f5e-9d1c-4c55-9a51-2b0f3c3a7d12",
        ["format"] = "json", ["token"] = "0123456789abcdef0123456789abcdef",
    };

    [Test]
    public async Task Every_endpoint_in_the_api_document_answers_each_role_as_the_readme_table_says()
    {
        var table = WhoMayCallByOperation();
        var operations = await ApiDocument.OperationsAsync(_app);
        Assert.That(operations.Except(table.Keys), Is.Empty, "endpoints in /openapi/v1.json missing from the table (add them here and to the README)");
        Assert.That(table.Keys.Except(operations), Is.Empty, "table rows for endpoints the document does not list");

        StaffRole?[] roles = [null, StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor, StaffRole.Admin];
        var clients = new Dictionary<StaffRole, HttpClient>();
        foreach (var role in roles.OfType<StaffRole>()) clients[role] = await _app.ClientFor(role);
        var wrong = new List<string>();
        foreach (var operation in operations)
        {
            var who = table[operation];
            var method = operation[..operation.IndexOf(' ')];
            var path = ApiDocument.Fill(operation[(method.Length + 1)..], AnyIds);
            foreach (var role in roles)
            {
                var client = role switch
                {
                    null => _app.CreateClient(),
                    // Signing out ends the token: sign out a session of its own.
                    StaffRole r when operation == "POST /api/auth/sign-out" => _app.WithToken(await _app.SignIn($"test-{r.ToText()}", CrmTestApp.Password)),
                    StaffRole r => clients[r],
                };
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                var status = (int)(await client.SendAsync(request)).StatusCode;
                var name = role?.ToText() ?? "none";
                var expected = who switch
                {
                    "anyone" => "authorised",
                    "Twilio signature" or "the console's header" => "403",
                    "signed in" => role is null ? "401" : "authorised",
                    _ => role is null ? "401" : who.Split(", ").Contains(name) ? "authorised" : "403",
                };
                var ok = expected == "authorised" ? status is not (401 or 403) : status.ToString(System.Globalization.CultureInfo.InvariantCulture) == expected;
                if (!ok) wrong.Add($"{operation} as {name}: {status}, expected {expected} ({who})");
            }
        }
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public async Task Without_a_token_the_api_answers_401_with_a_problem()
    {
        var problem = await (await _app.CreateClient().GetAsync("/api/timeline")).AssertProblem(HttpStatusCode.Unauthorized);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("Sign in"));
    }

    [TestCase(StaffRole.Dispatcher, "/api/citizens", TestName = "A dispatcher may not register citizens")]
    [TestCase(StaffRole.Admin, "/api/citizens", TestName = "An admin may not register citizens")]
    [TestCase(StaffRole.Clerk, "/api/staff-users", TestName = "A clerk may not create staff accounts")]
    public async Task A_role_that_may_not_call_an_endpoint_gets_403(StaffRole role, string path)
    {
        var client = await _app.ClientFor(role);

        var response = await client.PostAsJsonAsync(path, new { nationalId = TestData.NewCnp(), firstName = "A", lastName = "B", username = "x", displayName = "x", role = "admin", password = "0123456789x" });

        await response.AssertProblem(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_clerk_may_not_read_the_audit_or_the_dispatchers_feed()
    {
        var clerk = await _app.ClientFor(StaffRole.Clerk);
        await (await clerk.GetAsync("/api/audit")).AssertProblem(HttpStatusCode.Forbidden);
        await (await clerk.GetAsync("/api/timeline")).AssertProblem(HttpStatusCode.Forbidden);
        var dispatcher = await _app.ClientFor(StaffRole.Dispatcher);
        Assert.That((await dispatcher.GetAsync("/api/timeline")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_volunteer_refused_the_dispatchers_feed_is_told_which_roles_it_is_for()
    {
        var volunteer = await _app.ClientFor(StaffRole.Volunteer);
        var problem = await (await volunteer.GetAsync("/api/timeline")).AssertProblem(HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("detail").GetString(),
            Is.EqualTo("Your role does not allow this action: it is for the roles dispatcher and supervisor."));
    }

    [Test]
    public async Task An_expired_token_gets_401()
    {
        var clerk = await _app.ClientFor(StaffRole.Clerk);
        Assert.That((await clerk.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        _clock.Advance(TimeSpan.FromHours(10) + TimeSpan.FromMinutes(1));

        await (await clerk.GetAsync("/api/auth/me")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_token_revoked_at_sign_out_gets_401()
    {
        await _app.ClientFor(StaffRole.Clerk);
        var token = await _app.SignIn("test-clerk", CrmTestApp.Password);
        var client = _app.WithToken(token);

        Assert.That((await client.PostAsync("/api/auth/sign-out", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await (await client.GetAsync("/api/auth/me")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task A_new_account_with_several_mistakes_is_refused_with_every_mistake_at_once()
    {
        var admin = await _app.ClientFor(StaffRole.Admin);
        var problem = await (await admin.PostAsJsonAsync("/api/staff-users",
            new { username = "x", displayName = "X", role = "boss", password = "short" })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Is.EquivalentTo(new[] { "username", "role", "password" }));
        Assert.That(problem.GetProperty("errors").GetProperty("password")[0].GetString(), Is.EqualTo("The password must have at least 10 characters."));
    }

    [Test]
    public async Task Disabling_a_user_or_resetting_their_password_ends_all_their_sessions()
    {
        var admin = await _app.ClientFor(StaffRole.Admin);
        var created = await (await admin.PostAsJsonAsync("/api/staff-users",
            new { username = "ana", displayName = "Ana", role = "clerk", password = "parola-ana-1" })).ReadJson<StaffUser>();
        var first = _app.WithToken(await _app.SignIn("ana", "parola-ana-1"));
        var second = _app.WithToken(await _app.SignIn("ana", "parola-ana-1"));

        Assert.That((await admin.PostAsJsonAsync($"/api/staff-users/{created.Id}/password", new { password = "parola-noua-2" })).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await (await first.GetAsync("/api/auth/me")).AssertProblem(HttpStatusCode.Unauthorized);
        await (await second.GetAsync("/api/auth/me")).AssertProblem(HttpStatusCode.Unauthorized);

        var third = _app.WithToken(await _app.SignIn("ana", "parola-noua-2"));
        Assert.That((await admin.PostAsync($"/api/staff-users/{created.Id}/disable", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await (await third.GetAsync("/api/auth/me")).AssertProblem(HttpStatusCode.Unauthorized);
        var signIn = await _app.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { username = "ana", password = "parola-noua-2" });
        await signIn.AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Test]
    public async Task Repeated_wrong_passwords_are_throttled_per_user()
    {
        await _app.ClientFor(StaffRole.Clerk);
        var anonymous = _app.CreateClient();
        for (var i = 0; i < 5; i++)
            await (await anonymous.PostAsJsonAsync("/api/auth/sign-in", new { username = "test-clerk", password = "wrong-password" })).AssertProblem(HttpStatusCode.Unauthorized);

        var blocked = await anonymous.PostAsJsonAsync("/api/auth/sign-in", new { username = "test-clerk", password = CrmTestApp.Password });

        await blocked.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.That(blocked.Headers.RetryAfter, Is.Not.Null);
        _clock.Advance(TimeSpan.FromMinutes(16));
        Assert.That((await anonymous.PostAsJsonAsync("/api/auth/sign-in", new { username = "test-clerk", password = CrmTestApp.Password })).StatusCode,
            Is.EqualTo(HttpStatusCode.OK), "the window passes");
    }

    [Test]
    public async Task Repeated_failures_from_one_address_are_throttled_across_user_names()
    {
        var anonymous = _app.CreateClient();
        for (var i = 0; i < 20; i++)
            await anonymous.PostAsJsonAsync("/api/auth/sign-in", new { username = $"nobody{i}", password = "wrong-password" });

        await (await anonymous.PostAsJsonAsync("/api/auth/sign-in", new { username = "someone-else", password = "x" })).AssertProblem(HttpStatusCode.TooManyRequests);
    }

    [Test]
    public async Task A_weak_password_is_refused_with_a_field_error()
    {
        var admin = await _app.ClientFor(StaffRole.Admin);
        var problem = await (await admin.PostAsJsonAsync("/api/staff-users", new { username = "ion", displayName = "Ion", role = "clerk", password = "short" }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(problem.ErrorFields(), Does.Contain("password"));
    }
}
