using System.Net;
using System.Text.Json;
using CitizenCrm.Core.Common;

namespace CitizenCrm.Tests.Jobs;

/// <summary>Runs a job the way an admin does (POST /api/jobs/{name}/run) and reads the run's record from the answer.</summary>
internal static class JobRunner
{
    public static async Task<JsonElement> RunAsync(HttpClient admin, string name)
    {
        var response = await admin.PostAsync($"/api/jobs/{name}/run", null);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        var run = JsonSerializer.Deserialize<JsonElement>(text, Json.Options);
        Assert.That(run.GetProperty("outcome").GetString(), Is.EqualTo("succeeded"), text);
        return run;
    }

    public static async Task<string> SummaryOfRunAsync(HttpClient admin, string name) =>
        (await RunAsync(admin, name)).GetProperty("summary").GetString()!;
}
