using CitizenCrm.Core.Revenue;
using CitizenCrm.Ivr.Speech;

namespace CitizenCrm.Tests.Phone;

/// <summary>Taxes and fines on the phone, against the revenue ledger imported as the revenue system exports it.</summary>
public class TaxFineCallTests : PhoneCallTest
{
    private Task<RevenueImportReport> Import(string cnp, params string[] rows) =>
        App.Send(new ImportRevenueLedger(
            "record_type,source_ref,national_id,exported_on,tax_kind,fiscal_year,description,amount_due,amount_paid,increases,report_number,handed_over_on,legal_basis,fine_category,amount_applied,legal_minimum,paid_on\n"
            + string.Join("\n", rows.Select(r => r.Replace("{cnp}", cnp))) + "\n", "phone-test.csv"));

    [Test]
    public async Task Caller_hears_the_total_of_taxes_first_then_each_obligation_with_its_term()
    {
        var caller = await CitizenWithPin();
        var report = await Import(caller.Cnp,
            "tax,ITL-2026-CL-1,{cnp},2026-03-05,building,2026,\"Str. Mihai Viteazul 1\",812.40,0,,,,,,,,",
            "tax,ITL-2025-MT-2,{cnp},2026-03-05,vehicle,2025,AB-12-SMU,450.00,225.00,31.50,,,,,,,");
        Assert.That(report.Rejected, Is.Zero, string.Join("; ", report.RejectedRows));
        var balance = await App.Send(new GetTaxBalance(caller.Id));
        Assert.That(balance.TotalPayableNow, Is.GreaterThan(0m));

        var call = NewCall();
        await Identify(call, caller);
        var reply = await call.Press("1");
        Assert.That(reply.Text, Does.StartWith($"Aveți de plată {SpeechFormat.Money(balance.TotalPayableNow, "ro")}."));
        var building = balance.Obligations.Single(o => o.TaxKind == "building");
        Assert.That(reply.Text, Does.Contain($"Impozit pe clădiri, Str. Mihai Viteazul 1: {SpeechFormat.Money(building.PayableNow, "ro")}."));
        var vehicle = balance.Obligations.Single(o => o.TaxKind == "vehicle");
        Assert.That(reply.Text, Does.Contain($"Impozit pe mijloace de transport, AB-12-SMU: {SpeechFormat.Money(vehicle.PayableNow, "ro")}."));
        if (vehicle.LateIncrease > 0) Assert.That(reply.Text, Does.Contain($"majorări de întârziere de {SpeechFormat.Money(vehicle.LateIncrease, "ro")}"));
        if (building.DiscountAvailable > 0)
            Assert.That(reply.Text, Does.Contain($"bonificație de {SpeechFormat.Money(building.DiscountAvailable, "ro")}"));
        Assert.That(reply.Text, Does.Contain("martie"), "the term is said as a date");
        Assert.That(reply.Text, Does.EndWith("Pentru a încheia, 2."));

        var answer = CallEvents(call.CallSid).Single(e => e.Kind == "ivr.answer_given");
        Assert.That(answer.Summary, Does.StartWith("Told on the phone: taxes payable now"));
        Assert.That(answer.CitizenId, Is.EqualTo(caller.Id));
    }

    [Test]
    public async Task Caller_without_taxes_hears_so_in_Hungarian()
    {
        var caller = await CitizenWithPin("Erzsébet");
        var call = NewCall();
        await Identify(call, caller, languageKey: "3");
        var reply = await call.Press("1");
        Assert.That(reply.Text, Does.StartWith("Nincs fizetendő adója."));
    }

    [Test]
    public async Task Caller_hears_unpaid_fines_with_the_half_minimum_deadline_while_it_runs()
    {
        var caller = await CitizenWithPin();
        await Import(caller.Cnp,
            "fine,PV-1,{cnp},2026-03-09,,,,,0,,AB 0412345,2026-03-05,\"HCL Alba Iulia 215/2019 art. 4 lit. b)\",general,500.00,200.00,",
            "fine,PV-2,{cnp},2026-03-09,,,,,0,,AB 0398812,2026-01-10,\"Legea 61/1991 art. 2 pct. 1\",public_order,1000.00,500.00,");
        var fines = await App.Send(new GetUnpaidFines(caller.Id));
        Assert.That(fines.Count, Is.EqualTo(2));

        var call = NewCall();
        await Identify(call, caller, languageKey: "2");
        var reply = await call.Press("2");
        Assert.That(reply.Text, Does.StartWith($"You have two fines unpaid, {SpeechFormat.Money(fines.TotalOutstanding, "en")} in total."));
        foreach (var f in fines.Fines)
            Assert.That(reply.Text, Does.Contain($"The fine of {SpeechFormat.Date(f.HandedOverOn, "en", 2026)}: {SpeechFormat.Money(f.Outstanding, "en")}."));
        var running = fines.Fines.Where(f => f.HalfMinimumDeadline >= new DateOnly(2026, 3, 10)).ToList();
        Assert.That(running, Is.Not.Empty, "the fine handed over on 5 March still has its 15 days");
        foreach (var f in running)
            Assert.That(reply.Text, Does.Contain($"If you pay half the minimum, {SpeechFormat.Money(f.HalfMinimumAmount!.Value, "en")}, by {SpeechFormat.Date(f.HalfMinimumDeadline!.Value, "en", 2026)}, the fine is settled."));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(reply.Text, "half the minimum").Count, Is.EqualTo(running.Count), "no half-minimum offer once its days have passed");
    }

    [Test]
    public async Task Caller_without_fines_hears_so()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await Identify(call, caller);
        var reply = await call.Press("2");
        Assert.That(reply.Text, Does.StartWith("Nu aveți amenzi neplătite."));
    }
}
