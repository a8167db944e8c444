using CitizenCrm.Core.Revenue;

namespace CitizenCrm.Tests.Phone;

/// <summary>
/// Taxes and fines on the phone, against the revenue ledger imported as the revenue system exports it. Fixed data, a fixed
/// clock, and the sentences written out as the caller hears them: the expected words never come from the code under test.
/// </summary>
public class TaxFineCallTests : PhoneCallTest
{
    private async Task Import(string cnp, params string[] rows)
    {
        var report = await App.Send(new ImportRevenueLedger(
            "record_type,source_ref,national_id,exported_on,tax_kind,fiscal_year,description,amount_due,amount_paid,increases,report_number,handed_over_on,legal_basis,fine_category,amount_applied,legal_minimum,paid_on\n"
            + string.Join("\n", rows.Select(r => r.Replace("{cnp}", cnp))) + "\n", "phone-test.csv"));
        Assert.That(report.Rejected, Is.Zero, string.Join("; ", report.RejectedRows));
    }

    // Tuesday 10 March 2026. Building tax 2026, 812.40 lei, nothing paid: two instalments of 406.20 (31 March, 30 September);
    // paid whole by 31 March it earns the 10 % discount, 81.24, so 731.16 settles it today. Vehicle tax 2025, 450.00, 225.00 paid
    // (the first instalment): the second, 225.00, is late since 30 September 2025, with the 31.50 of increases the export gives
    // (no new month of delay begins between the export on 5 March and 10 March): 256.50. Land tax 2026, 100.00: 90.00 with
    // the discount. In all, 731.16 + 256.50 + 90.00 = 1,077.66.
    private static readonly string[] Taxes =
    [
        "tax,ITL-2026-CL-1,{cnp},2026-03-05,building,2026,\"Str. Mihai Viteazul 1\",812.40,0,,,,,,,,",
        "tax,ITL-2025-MT-2,{cnp},2026-03-05,vehicle,2025,AB-12-SMU,450.00,225.00,31.50,,,,,,,",
        "tax,ITL-2026-TR-3,{cnp},2026-03-05,land,2026,\"Teren intravilan, Str. Frații Popeea\",100.00,0,,,,,,,,",
    ];

    private async Task<TwimlReply> AskForTaxes(string languageKey)
    {
        var caller = await CitizenWithPin();
        await Import(caller.Cnp, Taxes);
        var call = NewCall();
        await Identify(call, caller, languageKey);
        var reply = await call.Press("1");
        var answer = CallEvents(call.CallSid).Single(e => e.Kind == "ivr.answer_given");
        Assert.That(answer.Summary, Is.EqualTo("Told on the phone: taxes payable now 1.077,66 lei (3 obligations)"));
        Assert.That(answer.CitizenId, Is.EqualTo(caller.Id));
        return reply;
    }

    [Test]
    public async Task Caller_hears_the_total_of_taxes_first_then_each_obligation_with_its_term()
    {
        var reply = await AskForTaxes("1");
        Assert.That(reply.Said, Is.EqualTo(new[]
        {
            "Aveți de plată o mie șaptezeci și șapte de lei și șaizeci și șase de bani.",
            "Impozit pe mijloace de transport, AB-12-SMU: două sute cincizeci și șase de lei și cincizeci de bani. "
            + "Suma include majorări de întârziere de treizeci și unu de lei și cincizeci de bani. "
            + "Impozit pe clădiri, Str. Mihai Viteazul 1: șapte sute treizeci și unu de lei și șaisprezece bani. "
            + "Dacă plătiți impozitul pe tot anul până la 31 martie, aveți o bonificație de optzeci și unu de lei și douăzeci și patru de bani. "
            + "Impozit pe teren, Teren intravilan, Str. Frații Popeea: nouăzeci de lei. "
            + "Dacă plătiți impozitul pe tot anul până la 31 martie, aveți o bonificație de zece lei.",
            "Pentru meniul principal apăsați 1. Pentru un operator, 0. Pentru a încheia, 2.",
        }));
    }

    [Test]
    public async Task An_English_caller_hears_British_numbers_and_the_land_category_in_English_with_the_address_as_written()
    {
        var reply = await AskForTaxes("2");
        Assert.That(reply.Said, Is.EqualTo(new[]
        {
            "You owe one thousand and seventy-seven lei and sixty-six bani.",
            "Vehicle tax, AB-12-SMU: two hundred and fifty-six lei and fifty bani. "
            + "This includes late-payment charges of thirty-one lei and fifty bani. "
            + "Building tax, Str. Mihai Viteazul 1: seven hundred and thirty-one lei and sixteen bani. "
            + "If you pay the whole year's tax by 31 March, you get a discount of eighty-one lei and twenty-four bani. "
            + "Land tax, Land within the town limits, Str. Frații Popeea: ninety lei. "
            + "If you pay the whole year's tax by 31 March, you get a discount of ten lei.",
            "For the main menu, press 1. For an operator, 0. To finish, 2.",
        }));
    }

    [Test]
    public async Task A_Hungarian_caller_hears_the_land_category_and_the_term_in_fluent_Hungarian()
    {
        var reply = await AskForTaxes("3");
        Assert.That(reply.Said, Is.EqualTo(new[]
        {
            "Összesen ezerhetvenhét lej és hatvanhat bani adót kell fizetnie.",
            "Gépjárműadó, AB-12-SMU: kétszázötvenhat lej és ötven bani. "
            + "Az összeg harmincegy lej és ötven bani késedelmi pótlékot tartalmaz. "
            + "Épületadó, Str. Mihai Viteazul 1: hétszázharmincegy lej és tizenhat bani. "
            + "Ha az egész évi adót március harmincegyedikéig befizeti, nyolcvanegy lej és huszonnégy bani kedvezményt kap. "
            + "Telekadó, Belterületi telek, Str. Frații Popeea: kilencven lej. "
            + "Ha az egész évi adót március harmincegyedikéig befizeti, tíz lej kedvezményt kap.",
            "A főmenühöz nyomja meg az 1-est, munkatársunkhoz a 0-t, a hívás befejezéséhez a 2-est.",
        }));
    }

    [Test]
    public async Task Caller_without_taxes_hears_so_in_Hungarian()
    {
        var caller = await CitizenWithPin("Erzsébet");
        var call = NewCall();
        await Identify(call, caller, languageKey: "3");
        var reply = await call.Press("1");
        Assert.That(reply.Said[0], Is.EqualTo("Nincs fizetendő adója."));
    }

    // Tuesday 7 April 2026, 10:00. Two reports handed over on Friday 3 April 2026, after OUG 7/2026 took effect (27 March):
    // public order (Law 61/1991), 2,800 lei applied: half of the fine applied, 1,400, settles it; a general fine, 500 applied
    // with a legal minimum of 200: half the minimum, 100. The 15 days end on Saturday 18 April, a non-working day, so the last
    // day is Monday 20 April (counting free days instead, 19 April, a Sunday, also moves to Monday 20 April).
    private static readonly DateTimeOffset AfterOug7 = new(2026, 4, 7, 7, 0, 0, TimeSpan.Zero);

    private static readonly string[] Fines =
    [
        "fine,PV-1,{cnp},2026-04-06,,,,,0,,AB 0000001,2026-04-03,\"Legea 61/1991 art. 2 pct. 1\",public_order,2800.00,1000.00,",
        "fine,PV-2,{cnp},2026-04-06,,,,,0,,AB 0000002,2026-04-03,\"HCL Alba Iulia 215/2019 art. 4 lit. b)\",general,500.00,200.00,",
    ];

    private async Task<TwimlReply> AskForFines(string languageKey)
    {
        var caller = await CitizenWithPin();   // registered on 10 March, while the clerk's sign-in is fresh
        Clock.SetUtcNow(AfterOug7);
        await Import(caller.Cnp, Fines);
        var call = NewCall();
        await Identify(call, caller, languageKey);
        var reply = await call.Press("2");
        Assert.That(CallEvents(call.CallSid).Single(e => e.Kind == "ivr.answer_given").Summary, Is.EqualTo("Told on the phone: unpaid fines: 2, 3.300,00 lei"));
        return reply;
    }

    [Test]
    public async Task After_OUG_7_2026_the_caller_hears_which_half_settles_each_fine_in_Romanian()
    {
        var reply = await AskForFines("1");
        Assert.That(reply.Said[0], Is.EqualTo("Aveți de plătit două amenzi, în total trei mii trei sute de lei."));
        Assert.That(reply.Said[1], Is.EqualTo(
            "Amenda din 3 aprilie: două mii opt sute de lei. "
            + "Dacă plătiți jumătate din amenda aplicată, adică o mie patru sute de lei, până la 20 aprilie, amenda se consideră achitată. "
            + "Amenda din 3 aprilie: cinci sute de lei. "
            + "Dacă plătiți jumătate din minimul amenzii prevăzut de lege, adică o sută de lei, până la 20 aprilie, amenda se consideră achitată."));
    }

    [Test]
    public async Task After_OUG_7_2026_the_caller_hears_which_half_settles_each_fine_in_English()
    {
        var reply = await AskForFines("2");
        Assert.That(reply.Said[0], Is.EqualTo("You have two unpaid fines, three thousand three hundred lei in total."));
        Assert.That(reply.Said[1], Is.EqualTo(
            "The fine issued on 3 April: two thousand eight hundred lei. "
            + "If you pay half the fine imposed, one thousand four hundred lei, by 20 April, the fine is settled. "
            + "The fine issued on 3 April: five hundred lei. "
            + "If you pay half the legal minimum fine, one hundred lei, by 20 April, the fine is settled."));
    }

    [Test]
    public async Task After_OUG_7_2026_the_caller_hears_which_half_settles_each_fine_in_Hungarian()
    {
        var reply = await AskForFines("3");
        Assert.That(reply.Said[0], Is.EqualTo("Önnek két kifizetetlen bírsága van, összesen háromezer-háromszáz lej."));
        Assert.That(reply.Said[1], Is.EqualTo(
            "Az április harmadikai bírság: kétezer-nyolcszáz lej. "
            + "Ha április huszadikáig befizeti a kiszabott bírság felét, ami ezernégyszáz lej, a bírság rendezettnek számít. "
            + "Az április harmadikai bírság: ötszáz lej. "
            + "Ha április huszadikáig befizeti a bírság törvényes minimumának felét, ami száz lej, a bírság rendezettnek számít."));
    }

    [Test]
    public async Task Once_the_fifteen_days_have_passed_no_half_is_offered_and_a_November_fine_reads_fluently_in_Hungarian()
    {
        // Handed over on Sunday 29 November 2026; on Wednesday 16 December (10:00) the 15 days have run out, whether the last
        // day is 14 December or, counting free days, 15 December.
        var caller = await CitizenWithPin("Tímea");
        Clock.SetUtcNow(new DateTimeOffset(2026, 12, 16, 8, 0, 0, TimeSpan.Zero));
        await Import(caller.Cnp, "fine,PV-3,{cnp},2026-12-15,,,,,0,,AB 0000003,2026-11-29,\"HCL Alba Iulia 215/2019 art. 4 lit. b)\",general,500.00,200.00,");
        var call = NewCall();
        await Identify(call, caller, "3");
        var reply = await call.Press("2");
        Assert.That(reply.Said[0], Is.EqualTo("Önnek egy kifizetetlen bírsága van, összesen ötszáz lej."));
        Assert.That(reply.Said[1], Is.EqualTo("A november huszonkilencedikei bírság: ötszáz lej."));
    }

    [Test]
    public async Task A_fine_partly_paid_is_offered_the_rest_of_its_half_called_the_rest()
    {
        var caller = await CitizenWithPin();
        Clock.SetUtcNow(AfterOug7);
        // 500 applied, legal minimum 200: half the minimum is 100, of which 60 was paid on 6 April; 40 more settles it by 20 April.
        await Import(caller.Cnp, "fine,PV-4,{cnp},2026-04-06,,,,,60.00,,AB 0000004,2026-04-03,\"HCL Alba Iulia 215/2019 art. 4 lit. b)\",general,500.00,200.00,2026-04-06");
        var call = NewCall();
        await Identify(call, caller, "2");
        var reply = await call.Press("2");
        Assert.That(reply.Said[0], Is.EqualTo("You have one unpaid fine, four hundred and forty lei in total."));
        Assert.That(reply.Said[1], Is.EqualTo(
            "The fine issued on 3 April: four hundred and forty lei. "
            + "You have already paid part of it; if you pay the remaining forty lei by 20 April, the fine is settled."));
    }

    [Test]
    public async Task Caller_without_fines_hears_so()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await Identify(call, caller);
        var reply = await call.Press("2");
        Assert.That(reply.Said[0], Is.EqualTo("Nu aveți amenzi neplătite."));
    }
}
