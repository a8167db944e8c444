using System.Net.Http.Json;
using System.Text;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Revenue;
using CitizenCrm.Core.Staff;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Revenue;

/// <summary>
/// The README's revenue walk-through, figure by figure: the sample export, the later correction, and what Ștefan's and
/// Éva's balances and fines say on 24 November 2026. The expected values are those of the README's table, worked by hand.
/// </summary>
public sealed class ReadmeRevenueWalkthroughTests
{
    private static string Sample()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (!File.Exists(Path.Combine(dir!.FullName, "CitizenCRM.sln"))) dir = dir.Parent;
        return File.ReadAllText(Path.Combine(dir.FullName, "docs", "samples", "revenue-sample.csv"));
    }

    [Test]
    public async Task The_readme_figures_of_24_November_2026_hold()
    {
        using var app = new CrmTestApp(clock: new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)));
        var admin = await app.ClientFor(StaffRole.Admin);
        var clerk = await app.ClientFor(StaffRole.Clerk);
        var stefan = await clerk.RegisterCitizen("1850301011234", "Ștefan", "Mureșan");
        var eva = await clerk.RegisterCitizen("2790814010371", "Éva", "Kovács");
        var sample = Sample();
        (await admin.PostAsync("/api/revenue/imports", new StringContent(sample, Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();
        var correction = sample.Split('\n')[0].TrimEnd('\r') + "\n" +
            "tax,ITL-2026-MT-007731,1850301011234,2026-11-23,vehicle,2026,AB-12-SMU,468.00,234.00,,,,,,,,";
        (await admin.PostAsync("/api/revenue/imports", new StringContent(correction, Encoding.UTF8, "text/csv"))).EnsureSuccessStatusCode();

        var taxes = (await clerk.GetFromJsonAsync<TaxBalance>($"/api/citizens/{stefan.Id}/taxes?asOf=2026-11-24", Json.Options))!;
        Assert.That(taxes.Obligations.OrderBy(o => o.FiscalYear).ThenBy(o => o.TaxKind).ThenBy(o => o.Description)
                .Select(o => $"{o.TaxKind} {o.FiscalYear} {o.AmountDue:0.00} {o.AmountPaid:0.00} {o.Outstanding:0.00} {o.LateIncrease:0.00} {o.PayableNow:0.00}"),
            Is.EqualTo(new[]
            {
                "vehicle 2025 450.00 225.00 225.00 31.50 256.50",   // the export's own increases; no month begins 20–24 November
                "building 2026 812.40 406.20 406.20 8.12 414.32",   // second half: 1–31 October, 1–24 November: 2 %
                "building 2026 35.00 0.00 35.00 1.75 36.75",        // two halves of 17.50 (847.40 lei of building tax): 8 % + 2 %
                "land 2026 42.00 42.00 0.00 0.00 0.00",
                "vehicle 2026 468.00 234.00 234.00 4.68 238.68",    // corrected; the second half is in its 2nd month late
            }));
        Assert.That(taxes.TotalPayableNow, Is.EqualTo(946.25m));

        var fines = (await clerk.GetFromJsonAsync<UnpaidFines>($"/api/citizens/{stefan.Id}/fines?asOf=2026-11-24", Json.Options))!;
        Assert.That(fines.Fines.Select(f => (f.ReportNumber, f.HalfMinimumAmount, f.HalfMinimumDeadline)), Is.EqualTo(new[]
        {
            // Public order (OUG 7/2026): half the fine applied. Handed over Tuesday 10 November: 15 free days 11–25 November,
            // last day Thursday 26 November.
            ("AB 0398812", (decimal?)500.00m, (DateOnly?)new DateOnly(2026, 11, 26)),
            // Local council: half the legal minimum. Handed over Monday 16 November: 15 free days 17 November–1 December,
            // last day Wednesday 2 December (30 November and 1 December are legal holidays inside the 15 days).
            ("AB 0412345", 100.00m, new DateOnly(2026, 12, 2)),
        }));

        var evaTaxes = (await clerk.GetFromJsonAsync<TaxBalance>($"/api/citizens/{eva.Id}/taxes?asOf=2026-11-24", Json.Options))!;
        // 38 lei, due whole on 31 March 2026, unpaid: April to November, 8 months begun, 8 % = 3.04.
        Assert.That(evaTaxes.Obligations.Select(o => (o.Outstanding, o.LateIncrease, o.PayableNow)), Is.EqualTo(new[] { (38.00m, 3.04m, 41.04m) }));
        var evaFines = (await clerk.GetFromJsonAsync<UnpaidFines>($"/api/citizens/{eva.Id}/fines?asOf=2026-11-24", Json.Options))!;
        // Building without a permit, handed over 2 November 2026 (after 27 March 2026): no half option. The October fine was
        // settled by 100.00 paid on 14 October, within its days (last day 21 October).
        Assert.That(evaFines.Fines.Select(f => (f.ReportNumber, f.Outstanding, f.HalfMinimumAmount)), Is.EqualTo(new[] { ("AB 0377001", 5000.00m, (decimal?)null) }));
    }
}
