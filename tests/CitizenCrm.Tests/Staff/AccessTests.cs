using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
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
