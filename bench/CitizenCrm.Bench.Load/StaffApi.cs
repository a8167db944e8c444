using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// The set-up a benchmark needs before it measures, through the staff API as a person would do it: the admin made by
/// create-admin signs in and creates the benchmark's staff (clerks, a supervisor, a dispatcher), who sign in.
/// </summary>
public sealed class StaffApi(HttpClient client)
{
    public async Task<AuthenticationHeaderValue> SignInAsync(string username, string password)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/sign-in", new { username, password });
        var body = await Expect(response, "sign in as " + username);
        return new AuthenticationHeaderValue("Bearer", body["token"]!.GetValue<string>());
    }

    /// <summary>Creates a staff account with a random password and signs it in.</summary>
    public async Task<AuthenticationHeaderValue> StaffAsync(AuthenticationHeaderValue admin, string username, string role)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/staff-users")
               { Content = JsonContent.Create(new { username, displayName = username, role, password }) })
        {
            request.Headers.Authorization = admin;
            using var response = await client.SendAsync(request);
            await Expect(response, $"create the {role} {username}");
        }
        return await SignInAsync(username, password);
    }

    /// <summary>Many accounts of one role, a few at a time (each sign-in hashes a password).</summary>
    public async Task<AuthenticationHeaderValue[]> StaffAsync(AuthenticationHeaderValue admin, string prefix, string role, int count)
    {
        var run = Convert.ToHexString(RandomNumberGenerator.GetBytes(2)).ToLowerInvariant();
        var tokens = new AuthenticationHeaderValue[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (i, _) => tokens[i] = await StaffAsync(admin, $"{prefix}-{run}-{i + 1}", role));
        return tokens;
    }

    /// <summary>Issues a citizen's phone PIN (shown once, in this answer); the PIN stays in memory and is never printed.</summary>
    public async Task<string> IssuePinAsync(AuthenticationHeaderValue clerk, Guid citizenId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/citizens/{citizenId}/phone-pin");
        request.Headers.Authorization = clerk;
        using var response = await client.SendAsync(request);
        return (await Expect(response, "issue a phone PIN"))["pin"]!.GetValue<string>();
    }

    public async Task<JsonNode> GetAsync(AuthenticationHeaderValue who, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = who;
        using var response = await client.SendAsync(request);
        return await Expect(response, "GET " + url.Split('?')[0]);
    }

    public async Task<JsonNode> PostAsync(AuthenticationHeaderValue who, string url, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = who;
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await client.SendAsync(request);
        return await Expect(response, "POST " + url.Split('?')[0]);
    }

    private static async Task<JsonNode> Expect(HttpResponseMessage response, string what)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new BenchException($"Could not {what}: HTTP {(int)response.StatusCode} {Shorten(text)}");
        try { return JsonNode.Parse(text) ?? new JsonObject(); }
        catch (JsonException) { return new JsonObject(); }
    }

    private static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
