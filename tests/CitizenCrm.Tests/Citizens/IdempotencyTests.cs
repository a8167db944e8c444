using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Tests.Infrastructure;

namespace CitizenCrm.Tests.Citizens;

public sealed class IdempotencyTests : ClerkTest
{
    private Task<HttpResponseMessage> PostWithKey(string url, object? body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return Clerk.SendAsync(request);
    }

    private long Count(string sql)
    {
        using var db = App.OpenDatabase();
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        return (long)cmd.ExecuteScalar()!;
    }

    [Test]
    public async Task A_retried_registration_with_the_same_key_replays_the_result_and_changes_nothing()
    {
        var body = new { nationalId = TestData.NewCnp(), firstName = "Ion", lastName = "Pop" };

        var first = await PostWithKey("/api/citizens", body, "desk-7-0001");
        var retry = await PostWithKey("/api/citizens", body, "desk-7-0001");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(retry.StatusCode, Is.EqualTo(HttpStatusCode.Created), "not a 409 'already registered'");
        Assert.That(retry.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That((await retry.ReadJson<Citizen>()).Id, Is.EqualTo((await first.ReadJson<Citizen>()).Id));
        Assert.That(Count("SELECT COUNT(*) FROM citizens"), Is.EqualTo(1));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind = 'citizen.registered'"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_key_with_a_different_request_is_refused()
    {
        await PostWithKey("/api/citizens", new { nationalId = TestData.NewCnp(), firstName = "Ion", lastName = "Pop" }, "k-1");

        var other = await PostWithKey("/api/citizens", new { nationalId = TestData.NewCnp(), firstName = "Ana", lastName = "Pop" }, "k-1");

        await other.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(Count("SELECT COUNT(*) FROM citizens"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_retried_pin_issue_does_not_issue_a_second_pin_nor_show_the_first_again()
    {
        var citizen = await Clerk.RegisterCitizen();

        var first = await PostWithKey($"/api/citizens/{citizen.Id}/phone-pin", null, "pin-1");
        var hashAfterFirst = Count("SELECT COUNT(*) FROM timeline WHERE kind LIKE 'citizen.phone_pin%'");
        var retry = await PostWithKey($"/api/citizens/{citizen.Id}/phone-pin", null, "pin-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var problem = await retry.AssertProblem(HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("shown only once"));
        Assert.That(Count("SELECT COUNT(*) FROM timeline WHERE kind LIKE 'citizen.phone_pin%'"), Is.EqualTo(hashAfterFirst));
        Assert.That(Count("SELECT COUNT(*) FROM idempotency_keys WHERE response_json LIKE '%pin%'"), Is.EqualTo(0), "the PIN is not kept for replay");
    }

    [Test]
    public async Task A_malformed_idempotency_key_is_a_400()
    {
        var response = await PostWithKey("/api/citizens", new { nationalId = TestData.NewCnp(), firstName = "Ion", lastName = "Pop" }, new string('k', 300));
        await response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(Count("SELECT COUNT(*) FROM citizens"), Is.EqualTo(0));
    }
}
