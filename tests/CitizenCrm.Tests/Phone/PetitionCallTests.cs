using CitizenCrm.Core.Cases;

namespace CitizenCrm.Tests.Phone;

/// <summary>
/// Petitions and information requests on the phone. A fresh database and the clock on Tuesday 10 March 2026 give fixed
/// numbers (the general register's first number is 1/2026, the next 2/2026) and fixed terms (a petition: 30 days, 9 April; Law 544/2001: 10 days,
/// 20 March), so every sentence is written out as the caller hears it.
/// </summary>
public class PetitionCallTests : PhoneCallTest
{
    private Task<CaseDetails> Register(Guid citizenId, string subject, string kind = "petition") =>
        App.Send(new RegisterCase(kind, "desk", subject, "Written at the registry desk.", citizenId, null, null));

    private static async Task<TwimlReply> AskByNumber(TwilioPhone call, Caller caller, string keys, string languageKey = "1")
    {
        await Identify(call, caller, languageKey);
        await call.Press("3");
        await call.Press("1");
        return await call.Press(keys);
    }

    [Test]
    public async Task Caller_hears_the_status_of_their_petition_by_its_number_with_the_answer_first()
    {
        var caller = await CitizenWithPin();
        var petition = await Register(caller.Id, "Groapă în asfalt pe strada Motilor");
        Assert.That(petition.RegistrationNumber, Is.EqualTo("1/2026"));
        var call = NewCall();
        var reply = await AskByNumber(call, caller, "1*2026#");
        Assert.That(reply.Said, Is.EqualTo(new[]
        {
            "Petiția cu numărul unu, din anul două mii douăzeci și șase: înregistrată. Termenul de răspuns este 9 aprilie.",
            "Pentru meniul principal apăsați 1. Pentru un operator, 0. Pentru a încheia, 2.",
        }));

        var answer = CallEvents(call.CallSid).Single(e => e.Kind == "ivr.answer_given");
        Assert.That(answer.Summary, Is.EqualTo("Told on the phone: status of petition 1/2026 (registered)"));
        Assert.That(answer.CitizenId, Is.EqualTo(caller.Id));
    }

    [Test]
    public async Task The_year_may_be_left_out_of_the_number()
    {
        var caller = await CitizenWithPin();
        await Register(caller.Id, "Iluminat public");
        var reply = await AskByNumber(NewCall(), caller, "1#");
        Assert.That(reply.Said[0], Is.EqualTo("Petiția cu numărul unu, din anul două mii douăzeci și șase: înregistrată. Termenul de răspuns este 9 aprilie."));
    }

    [Test]
    public async Task A_Law_544_information_request_is_read_out_as_an_information_request_in_each_language()
    {
        var caller = await CitizenWithPin();
        var request = await Register(caller.Id, "Contractele de iluminat public din 2025", CaseKinds.InformationRequest);
        Assert.That(request.RegistrationNumber, Is.EqualTo("1/2026"));

        Assert.That((await AskByNumber(NewCall(), caller, "1*2026#", "1")).Said[0], Is.EqualTo(
            "Cererea de informații de interes public cu numărul unu, din anul două mii douăzeci și șase: înregistrată. Termenul de răspuns este 20 martie."));
        Assert.That((await AskByNumber(NewCall(), caller, "1*2026#", "2")).Said[0], Is.EqualTo(
            "Public information request number one, of twenty twenty-six: registered. The answer is due by 20 March."));
        Assert.That((await AskByNumber(NewCall(), caller, "1*2026#", "3")).Said[0], Is.EqualTo(
            "Az egy, per kétezer-huszonhat számú közérdekű adatigénylés: iktatva. A válasz határideje március huszadika."));
    }

    [Test]
    public async Task A_Hungarian_caller_hears_Az_before_a_vowel_and_when_the_answer_was_sent_in_fluent_Hungarian()
    {
        var caller = await CitizenWithPin("Tímea");
        Clock.SetUtcNow(new DateTimeOffset(2026, 8, 10, 7, 0, 0, TimeSpan.Zero));   // Monday 10 August 2026, 10:00
        var petition = await Register(caller.Id, "Járda javítása");
        Clock.SetUtcNow(new DateTimeOffset(2026, 8, 27, 7, 0, 0, TimeSpan.Zero));   // Thursday 27 August
        await App.Send(new AssignCase(petition.Id, "Drumuri", null));
        await App.Send(new AnswerCase(petition.Id, "Járdát javítjuk.", "OG 27/2002", "Primar", "email", null, null));

        var reply = await AskByNumber(NewCall(), caller, "1*2026#", "3");
        Assert.That(reply.Said[0], Is.EqualTo("Az egy, per kétezer-huszonhat számú petíció: megválaszolva. A választ augusztus huszonhetedikén küldtük el."));
        var english = await AskByNumber(NewCall(), caller, "1#", "2");
        Assert.That(english.Said[0], Is.EqualTo("Petition number one, of twenty twenty-six: answered. The answer was sent on 27 August."));
    }

    [Test]
    public async Task A_petition_number_belonging_to_someone_else_reads_as_not_found()
    {
        var caller = await CitizenWithPin("Ioana");
        var neighbour = await CitizenWithPin("Vasile");
        var theirs = await Register(neighbour.Id, "Zgomot noaptea");
        Assert.That(theirs.RegistrationNumber, Is.EqualTo("1/2026"));

        var reply = await AskByNumber(NewCall(), caller, "1*2026#");
        Assert.That(reply.Said[0], Is.EqualTo("Nu am găsit nicio solicitare a dumneavoastră cu acest număr."));
        var never = await AskByNumber(NewCall(), caller, "999999*2026#");
        Assert.That(never.Said[0], Is.EqualTo("Nu am găsit nicio solicitare a dumneavoastră cu acest număr."), "someone else's number and a number that does not exist sound the same");
        var invalid = await AskByNumber(NewCall(), caller, "0*1999#");
        Assert.That(invalid.Said[0], Is.EqualTo("Numărul de înregistrare nu este valid."));
    }

    [Test]
    public async Task Caller_hears_the_list_of_their_open_petitions_with_deadlines_in_English()
    {
        var caller = await CitizenWithPin();
        await Register(caller.Id, "Parcare");
        await Register(caller.Id, "Trotuar");
        var call = NewCall();
        await Identify(call, caller, languageKey: "2");
        await call.Press("3");
        var reply = await call.Press("2");
        Assert.That(reply.Said, Is.EqualTo(new[]
        {
            "You have two petitions open.",
            "Petition number two, of twenty twenty-six: registered, answer due by 9 April. "
            + "Petition number one, of twenty twenty-six: registered, answer due by 9 April.",
            "For the main menu, press 1. For an operator, 0. To finish, 2.",
        }));
    }

    [Test]
    public async Task With_an_information_request_among_them_the_list_counts_requests()
    {
        var caller = await CitizenWithPin();
        await Register(caller.Id, "Parcare");
        await Register(caller.Id, "Bugetul pe 2026", CaseKinds.InformationRequest);
        var call = NewCall();
        await Identify(call, caller);
        await call.Press("3");
        var reply = await call.Press("2");
        Assert.That(reply.Said[0], Is.EqualTo("Aveți în lucru două solicitări."));
        Assert.That(reply.Said[1], Is.EqualTo(
            "Cererea de informații de interes public cu numărul doi, din anul două mii douăzeci și șase: înregistrată, termen 20 martie. "
            + "Petiția cu numărul unu, din anul două mii douăzeci și șase: înregistrată, termen 9 aprilie."));
    }

    [Test]
    public async Task A_caller_without_open_petitions_hears_so()
    {
        var caller = await CitizenWithPin("Fara");
        var call = NewCall();
        await Identify(call, caller);
        await call.Press("3");
        var reply = await call.Press("2");
        Assert.That(reply.Said[0], Is.EqualTo("Nu aveți petiții în lucru."));
    }

    [Test]
    public async Task A_late_petition_in_the_list_is_said_to_be_late_with_an_apology_in_Hungarian()
    {
        var caller = await CitizenWithPin("Tímea", language: "hu");
        await Register(caller.Id, "Járda javítása");
        Clock.Advance(TimeSpan.FromDays(40));   // Sunday 19 April 2026: the term, 9 April, has passed

        var call = NewCall();
        await Identify(call, caller, languageKey: "3");
        await call.Press("3");
        var reply = await call.Press("2");
        Assert.That(reply.Said[0], Is.EqualTo("Önnek egy folyamatban lévő petíciója van."));
        Assert.That(reply.Said[1], Is.EqualTo(
            "Az egy, per kétezer-huszonhat számú petíció: iktatva, a válasz határideje április kilencedike volt; elnézést kérünk a késésért."));
    }
}
