using System.Net.Http.Json;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;

namespace CitizenCrm.Tests.Infrastructure;

public static class TestData
{
    private static int _serial;

    /// <summary>A valid CNP, different on every call (born 1985-03-01 in Alba, county 01, by default).</summary>
    public static string NewCnp(int sex = 1, DateOnly? birth = null, int county = 1) =>
        Cnp.Compose(sex, birth ?? new DateOnly(1985, 3, 1), county, Interlocked.Increment(ref _serial) % 1000);

    public static async Task<Citizen> RegisterCitizen(this HttpClient clerk, string? cnp = null, string firstName = "Ion", string lastName = "Popescu", string? phone = null)
    {
        var response = await clerk.PostAsJsonAsync("/api/citizens", new
        {
            nationalId = cnp ?? NewCnp(),
            firstName,
            lastName,
            phones = phone is null ? Array.Empty<string>() : [phone],
        });
        Assert.That((int)response.StatusCode, Is.EqualTo(201), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Citizen>(Json.Options))!;
    }

    public static async Task<T> ReadJson<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Json.Options))!;
}
