using CitizenCrm.Core.Cases;
using CitizenCrm.Ivr.Speech;

namespace CitizenCrm.Tests.Phone;

public class PetitionCallTests : PhoneCallTest
{
    private Task<CaseDetails> Petition(Guid citizenId, string subject) =>
        App.Send(new RegisterCase("petition", "desk", subject, "Written at the registry desk.", citizenId, null, null));

    private async Task<CaseStatusView> Status(Guid citizenId, Guid caseId) =>
        (await App.Send(new GetCitizenCases(citizenId, OpenOnly: false))).Cases.Single(c => c.CaseId == caseId);

    [Test]
    public async Task Caller_hears_the_status_of_their_petition_by_its_number_with_the_answer_first()
    {
        var caller = await CitizenWithPin();
        var petition = await Petition(caller.Id, "Groapă în asfalt pe strada Motilor");
        var view = await Status(caller.Id, petition.Id);
        var call = NewCall();
        await Identify(call, caller);
        await call.Press("3");
        await call.Press("1");
        var reply = await call.Press($"{petition.Number}*{petition.Year}#");
        var number = SpeechFormat.RegistrationNumber(petition.Number, petition.Year, "ro");
        var due = SpeechFormat.Date(view.DueOn!.Value, "ro", 2026);
        Assert.That(reply.Text, Does.StartWith($"Petiția {number}: înregistrată. Termenul de răspuns este {due}."));
        Assert.That(reply.Text, Does.Contain("Pentru meniul principal apăsați 1"));

        var answer = CallEvents(call.CallSid).Single(e => e.Kind == "ivr.answer_given");
        Assert.That(answer.Summary, Is.EqualTo($"Told on the phone: status of petition {petition.RegistrationNumber} (registered)"));
        Assert.That(answer.CitizenId, Is.EqualTo(caller.Id));
    }

    [Test]
    public async Task The_year_may_be_left_out_of_the_number()
    {
        var caller = await CitizenWithPin();
        var petition = await Petition(caller.Id, "Iluminat public");
        var call = NewCall();
        await Identify(call, caller);
        await call.Press("3");
        await call.Press("1");
        var reply = await call.Press($"{petition.Number}#");
        Assert.That(reply.Text, Does.StartWith($"Petiția {SpeechFormat.RegistrationNumber(petition.Number, petition.Year, "ro")}: înregistrată."));
    }

    [Test]
    public async Task A_petition_number_belonging_to_someone_else_reads_as_not_found()
    {
        var caller = await CitizenWithPin("Ioana");
        var neighbour = await CitizenWithPin("Vasile");
        var theirs = await Petition(neighbour.Id, "Zgomot noaptea");
        var call = NewCall();
        await Identify(call, caller);
        await call.Press("3");
        await call.Press("1");
        var reply = await call.Press($"{theirs.Number}*{theirs.Year}#");
        Assert.That(reply.Text, Does.StartWith("Nu am găsit o petiție a dumneavoastră cu acest număr."));
        Assert.That(reply.Text, Does.Not.Contain("Zgomot").And.Not.Contain("înregistrată"));

        var unknown = NewCall();
        await Identify(unknown, caller);
        await unknown.Press("3");
        await unknown.Press("1");
        var never = await unknown.Press("999999*2026#");
        Assert.That(never.Text, Is.EqualTo(reply.Text), "someone else's number and a number that does not exist sound the same");
        var invalid = await NewCallAt(caller, "0*1999#");
        Assert.That(invalid.Text, Does.StartWith("Numărul de înregistrare nu este valid."));
    }

    private async Task<TwimlReply> NewCallAt(Caller caller, string keys)
    {
        var call = NewCall();
        await Identify(call, caller);
        await call.Press("3");
        await call.Press("1");
        return await call.Press(keys);
    }

    [Test]
    public async Task Caller_hears_the_list_of_their_open_petitions_with_deadlines_in_English()
    {
        var caller = await CitizenWithPin();
        var first = await Petition(caller.Id, "Parcare");
        var second = await Petition(caller.Id, "Trotuar");
        var call = NewCall();
        await Identify(call, caller, languageKey: "2");
        await call.Press("3");
        var reply = await call.Press("2");
        Assert.That(reply.Text, Does.StartWith("You have two petitions open."));
        foreach (var p in new[] { first, second })
        {
            var due = SpeechFormat.Date((await Status(caller.Id, p.Id)).DueOn!.Value, "en", 2026);
            Assert.That(reply.Text, Does.Contain($"Petition {SpeechFormat.RegistrationNumber(p.Number, p.Year, "en")}: registered, due {due}."));
        }
        var none = await NewCallAtList(await CitizenWithPin("Fara"));
        Assert.That(none.Text, Does.StartWith("Nu aveți petiții deschise."));
    }

    [Test]
    public async Task A_late_petition_in_the_list_is_said_to_be_late_with_an_apology_and_Hungarian_dates_keep_one_dot()
    {
        var caller = await CitizenWithPin("Tímea", language: "hu");
        var petition = await Petition(caller.Id, "Járda javítása");
        var due = (await Status(caller.Id, petition.Id)).DueOn!.Value;
        Clock.Advance(TimeSpan.FromDays(40));

        var call = NewCall();
        await Identify(call, caller, languageKey: "3");
        await call.Press("3");
        var reply = await call.Press("2");

        var spokenDue = SpeechFormat.Date(due, "hu", 2026);
        Assert.That(spokenDue, Does.EndWith("."), "a Hungarian date carries its ordinal dot");
        Assert.That(reply.Text, Does.Contain($"a határidő {spokenDue} volt; elnézést kérünk a késésért."));
        Assert.That(reply.Text, Does.Not.Contain(".."));
    }

    private async Task<TwimlReply> NewCallAtList(Caller caller)
    {
        var call = NewCall();
        await Identify(call, caller);
        await call.Press("3");
        return await call.Press("2");
    }
}
