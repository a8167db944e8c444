namespace CitizenCrm.Tests.Phone;

/// <summary>The spoken defects of issue 9, each with the sentence a caller must hear, in each language it affects.</summary>
public class WhatCallersHearTests : PhoneCallTest
{
    /// <summary>Tuesday 10 March 2026, 17:00 in Alba Iulia: the desk closed at 16:30.</summary>
    private static readonly DateTimeOffset TuesdayEvening = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    /// <summary>Tuesday 1 December 2026, 10:00: Romania's National Day, a legal holiday in opening hours.</summary>
    private static readonly DateTimeOffset NationalDay = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static string Wrong(Caller caller) => caller.Pin == "0000" ? "1111" : "0000";

    [Test]
    public async Task The_greeting_tells_callers_in_each_language_that_0_reaches_an_operator()
    {
        var call = NewCall();
        var greeting = await call.Dial();
        Assert.That(greeting.Said, Is.EqualTo(new[]
        {
            "Bună ziua, ați sunat la Primăria Alba Iulia.",
            "Primăria prelucrează datele dumneavoastră personale pentru a vă putea răspunde; detalii găsiți pe site-ul primăriei, la Protecția datelor.",
            "Pentru limba română, apăsați 1. Pentru un operator, apăsați 0.",
            "For English, press 2. For an operator, press 0.",
            "Magyar nyelvhez nyomja meg a 3-as gombot. Ha munkatársunkkal szeretne beszélni, nyomja meg a 0-t.",
        }));
        var operatorReply = await call.Press("0");
        Assert.That(operatorReply.Said, Is.EqualTo(new[] { "Vă facem legătura cu un operator. Vă rugăm să așteptați." }));
        Assert.That(operatorReply.Enqueue!.Value, Is.EqualTo("operatori"));
    }

    [Test]
    public async Task A_caller_pressing_wrong_keys_at_the_closed_desk_menu_forever_is_told_goodbye_and_hung_up_on()
    {
        Clock.SetUtcNow(TuesdayEvening);
        var call = NewCall();
        await call.Dial();
        var closed = await call.Press("0");
        Assert.That(closed.Said, Is.EqualTo(new[]
        {
            "Dispeceratul este închis acum. Programul este de luni până joi, de la 8 la 16:30, și vineri, de la 8 la 14.",
            "Pentru a lăsa un mesaj apăsați 1. Pentru a vă suna noi înapoi, 2.",
        }));
        var replies = new List<TwimlReply>();
        for (var turn = 0; turn < 20 && !call.Last!.HangsUp; turn++) replies.Add(await call.Press("7"));
        Assert.That(replies, Has.Count.EqualTo(3), "three wrong keys, then goodbye");
        Assert.That(replies[0].Said, Is.EqualTo(new[] { "Nu am înțeles.", "Pentru a lăsa un mesaj apăsați 1. Pentru a vă suna noi înapoi, 2." }));
        Assert.That(replies[^1].Said, Is.EqualTo(new[]
        {
            "Ne pare rău, nu am putut prelua alegerea dumneavoastră. Vă rugăm să sunați din nou mai târziu.",
            "La revedere.",
        }));
        Assert.That(replies[^1].HangsUp, Is.True, "the reply ends with <Hangup/>:\n" + replies[^1].Xml);
        Assert.That(replies[^1].Gather, Is.Null);
    }

    [Test]
    public async Task Silence_at_the_closed_desk_menu_is_answered_with_we_did_not_hear_you_and_ends_too()
    {
        Clock.SetUtcNow(TuesdayEvening);
        var call = NewCall();
        await call.Dial();
        await call.Press("0");
        var first = await call.Silence();
        Assert.That(first.Said, Is.EqualTo(new[] { "Ne pare rău, nu v-am auzit.", "Pentru a lăsa un mesaj apăsați 1. Pentru a vă suna noi înapoi, 2." }));
        await call.Silence();
        var third = await call.Silence();
        Assert.That(third.HangsUp, Is.True, third.Xml);
    }

    [TestCase("1", "Ne pare rău, nu v-am auzit.", "Pentru taxe și impozite apăsați 1. Pentru amenzi, 2. Pentru petiții, 3. Pentru a asculta din nou, 9. Pentru un operator, 0.")]
    [TestCase("2", "Sorry, we didn't hear you.", "For taxes, press 1. For fines, 2. For petitions, 3. To hear this again, 9. For an operator, 0.")]
    [TestCase("3", "Elnézést, nem hallottuk a válaszát.", "Adóügyekhez nyomja meg az 1-est, bírságokhoz a 2-est, petíciókhoz a 3-ast. Ismétléshez a 9-est, munkatársunkhoz a 0-t.")]
    public async Task Silence_repeats_the_question_after_saying_we_did_not_hear_you(string languageKey, string notHeard, string menu)
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await Identify(call, caller, languageKey);
        var reply = await call.Silence();
        Assert.That(reply.Said, Is.EqualTo(new[] { notHeard, menu }));
    }

    [Test]
    public async Task After_three_failed_identity_tries_at_a_closed_desk_the_robot_never_says_it_is_connecting_to_an_operator()
    {
        var caller = await CitizenWithPin();
        Clock.SetUtcNow(TuesdayEvening);
        var call = NewCall();
        await call.Dial();
        await call.Press("1");
        for (var i = 0; i < 2; i++)
        {
            await call.Press(caller.Cnp + "#");
            await call.Press(Wrong(caller));
        }
        await call.Press(caller.Cnp + "#");
        var third = await call.Press(Wrong(caller));
        Assert.That(third.Said, Is.EqualTo(new[]
        {
            "Datele nu au putut fi verificate.",
            "Dispeceratul este închis acum. Programul este de luni până joi, de la 8 la 16:30, și vineri, de la 8 la 14.",
            "Pentru a lăsa un mesaj apăsați 1. Pentru a vă suna noi înapoi, 2.",
        }));
        Assert.That(third.Enqueue, Is.Null);
    }

    [Test]
    public async Task After_three_failed_identity_tries_at_an_open_desk_the_caller_hears_once_that_they_are_put_through()
    {
        var caller = await CitizenWithPin();
        var call = NewCall();
        await call.Dial();
        await call.Press("2");
        for (var i = 0; i < 2; i++)
        {
            await call.Press(caller.Cnp + "#");
            await call.Press(Wrong(caller));
        }
        await call.Press(caller.Cnp + "#");
        var third = await call.Press(Wrong(caller));
        Assert.That(third.Said, Is.EqualTo(new[] { "We could not verify these details.", "We are putting you through to an operator. Please hold." }));
        Assert.That(third.Enqueue!.Value, Is.EqualTo("operatori"));
    }

    [Test]
    public async Task Three_invalid_CNPs_at_a_closed_desk_in_Hungarian_say_only_what_is_true()
    {
        Clock.SetUtcNow(TuesdayEvening);
        var call = NewCall();
        await call.Dial();
        await call.Press("3");
        await call.Press("1234#");
        await call.Press("1234#");
        var third = await call.Press("1234#");
        Assert.That(third.Said, Is.EqualTo(new[]
        {
            "Ez a személyi szám nem érvényes.",
            "Az ügyfélszolgálat most zárva van. Nyitvatartás: hétfőtől csütörtökig 8 és 16:30 óra között, pénteken 8 és 14 óra között.",
            "Ha üzenetet hagyna, nyomja meg az 1-est, ha visszahívást kér, a 2-est.",
        }));
    }

    [Test]
    public async Task On_a_legal_holiday_the_closed_desk_names_the_holiday_in_Romanian()
    {
        Clock.SetUtcNow(NationalDay);
        var call = NewCall();
        await call.Dial();
        var closed = await call.Press("0");
        Assert.That(closed.Said[0], Is.EqualTo(
            "Astăzi este sărbătoare legală: Ziua Națională a României. Dispeceratul este închis. Programul este de luni până joi, de la 8 la 16:30, și vineri, de la 8 la 14."));
    }

    [Test]
    public async Task On_a_legal_holiday_the_closed_desk_names_the_holiday_in_English_with_British_times()
    {
        Clock.SetUtcNow(NationalDay);
        var call = NewCall();
        await call.Dial();
        await call.Press("2");
        await call.Press("1234#");
        await call.Press("1234#");
        var closed = await call.Press("1234#");
        Assert.That(closed.Said, Is.EqualTo(new[]
        {
            "That personal numeric code is not valid.",
            "Today is a public holiday: Romania's National Day. The call centre is closed. It is open Monday to Thursday from 8 a.m. to 4.30 p.m., and Friday from 8 a.m. to 2 p.m.",
            "To leave a message, press 1. To be called back, 2.",
        }));
    }

    [Test]
    public async Task On_a_legal_holiday_the_closed_desk_names_the_holiday_in_Hungarian()
    {
        Clock.SetUtcNow(NationalDay);
        var call = NewCall();
        await call.Dial();
        await call.Press("3");
        await call.Press("1234#");
        await call.Press("1234#");
        var closed = await call.Press("1234#");
        Assert.That(closed.Said[1], Is.EqualTo(
            "Ma munkaszüneti nap van: Románia nemzeti ünnepe. Az ügyfélszolgálat zárva van. Nyitvatartás: hétfőtől csütörtökig 8 és 16:30 óra között, pénteken 8 és 14 óra között."));
    }

    [Test]
    public async Task On_a_day_the_government_declared_free_the_closed_desk_says_so()
    {
        await App.Send(new CitizenCrm.Core.Holidays.DeclareNonWorkingDay(new DateOnly(2026, 3, 13), "HG 123/2026"));
        Clock.SetUtcNow(new DateTimeOffset(2026, 3, 13, 8, 0, 0, TimeSpan.Zero));   // Friday 13 March, 10:00
        var call = NewCall();
        await call.Dial();
        var closed = await call.Press("0");
        Assert.That(closed.Said[0], Is.EqualTo(
            "Astăzi este zi liberă, iar dispeceratul este închis. Programul este de luni până joi, de la 8 la 16:30, și vineri, de la 8 la 14."));
    }
}

/// <summary>
/// The greeting in the caller's preferred language, chosen from caller ID, tells whoever calls from that number that it is on
/// file: by default (PhoneOptions.GreetInPreferredLanguage = false) a number on file is greeted exactly like any other.
/// </summary>
public class GreetingByDefaultTests : PhoneCallTest
{
    [Test]
    public async Task A_registered_Hungarian_number_is_greeted_like_any_other_number()
    {
        await CitizenWithPin("Erzsébet", phone: "+40744555666", language: "hu");
        var known = await NewCall("+40744555666").Dial();
        var stranger = await NewCall("+40744000111").Dial();
        Assert.That(known.Said[0], Is.EqualTo("Bună ziua, ați sunat la Primăria Alba Iulia."));
        Assert.That(known.Said, Is.EqualTo(stranger.Said), "a number on file sounds exactly like any other");
        Assert.That(known.Voices, Is.EqualTo(stranger.Voices));
    }
}

/// <summary>A city that chose convenience (Phone:GreetInPreferredLanguage = true): the preferred language greets the caller.</summary>
public class GreetingInPreferredLanguageTests : PhoneCallTest
{
    protected override Dictionary<string, string?> ExtraSettings => new() { ["Phone:GreetInPreferredLanguage"] = "true" };

    [Test]
    public async Task A_registered_Hungarian_number_is_greeted_in_Hungarian_with_a_Google_voice()
    {
        var caller = await CitizenWithPin("Erzsébet", phone: "+40744555666", language: "hu");
        var call = NewCall("+40744555666");
        var greeting = await call.Dial();
        Assert.That(greeting.Said[0], Is.EqualTo("Jó napot kívánunk, Gyulafehérvár Polgármesteri Hivatalát hívta."));
        Assert.That(greeting.Voices.First(), Is.EqualTo("Google.hu-HU-Standard-A"));
        Assert.That((await NewCall("+40744000111").Dial()).Said[0], Is.EqualTo("Bună ziua, ați sunat la Primăria Alba Iulia."), "an unknown number: Romanian");
        await call.Silence();   // keeps the preferred language
        await call.Press(caller.Cnp + "#");
        var menu = await call.Press(caller.Pin);
        Assert.That(menu.Said[0], Is.EqualTo("Köszönjük, Erzsébet."));
        Assert.That(menu.Gather!.Attribute("language")!.Value, Is.EqualTo("hu-HU"));
    }
}
