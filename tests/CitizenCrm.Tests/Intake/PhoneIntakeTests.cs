using System.Net;
using System.Net.Http.Json;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Phone;
using Dapper;

namespace CitizenCrm.Tests.Intake;

/// <summary>Tuesday 10 March 2026, 10:00 in Alba Iulia; a caller identified by the phone robot waits for a dispatcher.</summary>
public sealed class PhoneIntakeTests : PhoneCallTest
{
    [Test]
    public async Task A_dispatcher_logs_an_identified_callers_request_and_it_lands_in_the_queue_tied_to_the_call()
    {
        var caller = await CitizenWithPin("Ioana");
        var call = NewCall();
        await Identify(call, caller);
        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);

        var response = await dispatcher.PostAsJsonAsync("/api/intake/phone", new
        {
            kind = "service_request", service = "street_light", subject = "Stâlp stins pe strada Teilor nr. 4", callSid = call.CallSid,
        });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var c = await response.ReadJson<CaseDetails>();
        Assert.That((c.RegistrationNumber, c.Channel, c.DueOn), Is.EqualTo(("1/2026", "phone", (DateOnly?)new DateOnly(2026, 3, 15))), "street light: 5 days");
        Assert.That((c.Party.Kind, c.Party.CitizenId), Is.EqualTo(("citizen", (Guid?)caller.Id)), "the robot's CNP + PIN identified the caller");

        var queue = await (await dispatcher.GetAsync("/api/cases?dueWithinDays=30")).ReadJson<CaseQueue>();
        Assert.That(queue.Items.Select(i => (i.RegistrationNumber, i.DueOn)), Is.EqualTo(new[] { ("1/2026", new DateOnly(2026, 3, 15)) }));

        var history = await (await dispatcher.GetAsync($"/api/timeline/calls/{call.CallSid}")).ReadJson<TimelinePage>();
        var logged = history.Events.Single(e => e.Kind == "phone.case_logged");
        Assert.That((logged.CaseId, logged.Actor, logged.CitizenId), Is.EqualTo(((Guid?)c.Id, "test-dispatcher", (Guid?)caller.Id)));
        Assert.That(logged.Summary, Does.Contain("1/2026").And.Contain("due 2026-03-15").And.Not.Contain("721234567"), "the caller's number stays masked");
        using var db = App.OpenDatabase();
        Assert.That(db.QuerySingle<string>("SELECT call_sid FROM case_intake WHERE case_id = @Id", new { c.Id }), Is.EqualTo(call.CallSid));
    }

    [Test]
    public async Task A_petition_voiced_on_the_phone_is_logged_only_once_written_down_and_confirmed()
    {
        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);
        object Petition(bool confirmed) => new
        {
            kind = "petition", subject = "Zgomot de la terasa din Piața Cetății", contact = new { name = "Vasile Rus", details = "0745 123 456" }, writtenAndConfirmed = confirmed,
        };

        var refused = await (await dispatcher.PostAsJsonAsync("/api/intake/phone", Petition(false))).AssertProblem(HttpStatusCode.BadRequest);
        Assert.That(refused.ErrorFields(), Is.EqualTo(new[] { "writtenAndConfirmed" }));
        var c = await (await dispatcher.PostAsJsonAsync("/api/intake/phone", Petition(true))).ReadJson<CaseDetails>();

        Assert.That((c.RegistrationNumber, c.Channel, c.DueOn, c.Party.Kind), Is.EqualTo(("1/2026", "phone", (DateOnly?)new DateOnly(2026, 4, 9), "contact")));
    }

    [Test]
    public async Task A_call_the_robot_never_saw_is_refused_and_nothing_is_written()
    {
        var dispatcher = await App.ClientFor(StaffRole.Dispatcher);

        var problem = await (await dispatcher.PostAsJsonAsync("/api/intake/phone", new
        {
            kind = "service_request", service = "street_light", subject = "Stâlp stins", contact = new { name = "Vasile Rus", details = "0745 123 456" },
            callSid = "CA00000000000000000000000000000000",
        })).AssertProblem(HttpStatusCode.BadRequest);

        Assert.That(problem.ErrorFields(), Is.EqualTo(new[] { "callSid" }));
        using var db = App.OpenDatabase();
        Assert.That(db.ExecuteScalar<long>("SELECT COUNT(*) FROM cases") + db.ExecuteScalar<long>("SELECT COUNT(*) FROM registration_counters"), Is.EqualTo(0));
    }
}
