using System.Globalization;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Timeline;

namespace CitizenCrm.Core.DemoCity;

/// <summary>
/// Calls to the phone robot over the last 90 days, as the timeline keeps their story (the calls' own state rows are
/// pruned after their retention, and the phone-robot report reads the timeline): the same event kinds, payloads,
/// correlation (the CallSid) and dedup keys the robot, Twilio's status callback and the housekeeping job write
/// (see CitizenCrm.Ivr/PhoneTurn.cs, PhoneActions.cs, Core/Phone/*.cs). Driving the robot turn by turn through its
/// webhooks would cost a request per key press for no other difference. Callers identified with CNP + PIN and not,
/// answered by the robot (contained) or put through to an operator, some leaving a callback request or a message, a
/// few abandoned; most that stay to the end answer the 1–5 survey.
/// </summary>
internal static class DemoPhoneCalls
{
    /// <summary>The calls' events, and the callback and message requests, which the robot's own command records (see <see cref="Phone.RequestPhoneContact"/>).</summary>
    public sealed record Made(int Calls, IReadOnlyList<TimelineEntry> Events, IReadOnlyList<(DateTimeOffset At, Phone.RequestPhoneContact Request)> Requests);

    public static Made Make(Random rng, IReadOnlyList<(Guid Id, string? Phone)> people, IReadOnlyList<Guid> featured, int count, DateTimeOffset now)
    {
        var events = new List<TimelineEntry>(count * 6);
        var requests = new List<(DateTimeOffset, Phone.RequestPhoneContact)>();
        var span = TimeSpan.FromDays(90).TotalMilliseconds;
        // In time order, as the calls came: the newest-first pages of the timeline read naturally.
        var starts = Enumerable.Range(0, count).Select(_ => now.AddMilliseconds(-rng.NextDouble() * span)).OrderBy(t => t).ToList();
        for (var i = 0; i < count; i++)
        {
            var at = starts[i];
            var sid = string.Create(CultureInfo.InvariantCulture, $"CA{rng.NextInt64():x16}{rng.NextInt64():x16}");
            var (citizenId, phone) = i < featured.Count
                ? people.First(p => p.Id == featured[i])
                : people[rng.Next(people.Count)];
            // A call from a number the register does not know (a relative's phone, a hidden number) is anonymous.
            if (phone is null || rng.Next(100) < 20)
                phone = string.Create(CultureInfo.InvariantCulture, $"+4026{rng.Next(0, 10_000_000):D7}");
            var masked = PhoneNumber.Mask(phone);
            var turn = 0;
            void Add(string kind, string summary, object? payload, string key, Guid? citizen = null, string actor = "ivr", DateTimeOffset? when = null) =>
                events.Add(new TimelineEntry
                {
                    Kind = kind, Channel = Channels.Ivr, Actor = actor, CitizenId = citizen, Correlation = sid,
                    OccurredAt = when ?? (at = at.AddSeconds(rng.Next(8, 40))), Summary = summary, Payload = payload, DedupKey = key,
                    // As the robot writes them: the figures the phone report counts (an answer: only what was asked).
                    Facts = kind == "ivr.answer_given" ? null : payload,
                });

            Add("ivr.call_started", $"Call from {masked} started", new { Turn = 0, Restarted = false }, $"twilio:{sid}:0:0", when: at);
            var roll = rng.Next(100);
            Guid? who = null;
            var outcome = "anonymous";
            // The featured demo citizens have a PIN: their calls are identified, so the report shows them.
            if (i < featured.Count || roll < 55)
            {
                turn += 3;
                who = citizenId;
                outcome = "identified";
                Add("ivr.identity_verified", "Caller identified on the phone with CNP and PIN", null, $"twilio:{sid}:{turn}:1", who);
                foreach (var what in Asked(rng))
                {
                    turn += 2;
                    outcome = "answered";
                    Add("ivr.answer_given", Told(rng, what), new { What = what, Details = new { } }, $"twilio:{sid}:{turn}:3", who);
                    events[^1] = events[^1] with { Facts = new { What = what } };
                }
            }
            else if (roll < 63)
            {
                turn += 4;
                outcome = "identity_failed";
                Add("ivr.identity_failed", "Caller could not be identified on the phone (CNP or PIN wrong)", null, $"twilio:{sid}:{turn}:1");
            }

            var path = rng.Next(100);
            if (path < 6)
            {
                // Hung up mid-menu and Twilio's status callback never came: the housekeeping job closes it two hours on.
                events.Add(new TimelineEntry
                {
                    Kind = "ivr.call_abandoned", Channel = Channels.Ivr, Actor = "system", CitizenId = who, Correlation = sid,
                    OccurredAt = at.AddHours(2).AddMinutes(rng.Next(1, 15)),
                    Summary = $"Call from {masked} closed as abandoned: silent for more than 2 hours (in menu)",
                    Payload = new { LastStatus = "in_menu", LastOutcome = outcome, SilentSince = at },
                    DedupKey = $"ivr-abandoned:{sid}",
                });
                continue;
            }
            if (path < 30 || outcome == "identity_failed" && path < 60)
            {
                turn++;
                var reason = outcome == "identity_failed" ? "identity_failed" : "operator_requested";
                Add("ivr.transferred", $"Caller put through to the operators' queue ({reason.Replace('_', ' ')})",
                    new { Reason = reason, Queue = "operators" }, $"twilio:{sid}:{turn}:9", who);
                outcome = "transferred";
            }
            else if (path < 38)
            {
                turn++;
                var message = rng.Next(2) == 0;
                var language = rng.Next(100) < 80 ? "ro" : "hu";
                int? recorded = message ? rng.Next(8, 60) : null;
                requests.Add((at = at.AddSeconds(rng.Next(8, 40)), new Phone.RequestPhoneContact(sid, turn, message ? Phone.PhoneRequestKinds.Message : Phone.PhoneRequestKinds.Callback,
                    "operator_requested", who, phone, masked, language,
                    message ? string.Create(CultureInfo.InvariantCulture, $"https://api.twilio.com/2010-04-01/Accounts/ACdemo/Recordings/RE{rng.NextInt64():x16}") : null, recorded)));
                outcome = message ? "message_left" : "callback_requested";
            }
            // Most callers who stay to the end press a key for the survey; the contained ones are happier.
            if (rng.Next(100) < 70)
            {
                turn++;
                var score = outcome is "answered" or "identified"
                    ? Pick(rng, [5, 5, 5, 4, 4, 4, 3, 2])
                    : Pick(rng, [5, 4, 3, 3, 2, 2, 1, 1]);
                Add("ivr.survey_answered", $"Phone survey: {score} out of 5", new { Score = score }, $"twilio:{sid}:{turn}:5", who);
            }
            var seconds = (long)(at - starts[i]).TotalSeconds + rng.Next(5, 20) + (outcome == "transferred" ? rng.Next(60, 400) : 0);
            Add("ivr.call_ended", $"Call from {masked} ended after {seconds} s ({outcome.Replace('_', ' ')})",
                new { CallStatus = "completed", DurationSeconds = seconds, Outcome = outcome }, $"twilio:{sid}:end:1", who,
                actor: "ivr", when: starts[i].AddSeconds(seconds));
        }
        return new Made(count, events, requests);
    }

    private static IEnumerable<string> Asked(Random rng)
    {
        var roll = rng.Next(100);
        if (roll < 10) return [];
        if (roll < 50) return ["taxes"];
        if (roll < 65) return ["fines"];
        if (roll < 80) return ["cases"];
        if (roll < 90) return ["case"];
        return ["taxes", "fines"];
    }

    private static string Told(Random rng, string what) => what switch
    {
        "taxes" => rng.Next(3) == 0 ? "Told on the phone: no taxes to pay"
            : string.Create(CultureInfo.GetCultureInfo("ro-RO"), $"Told on the phone: taxes payable now {rng.Next(50, 3000) + 0.5m:N2} lei ({rng.Next(1, 4)} obligations)"),
        "fines" => rng.Next(2) == 0 ? "Told on the phone: no unpaid fines" : $"Told on the phone: unpaid fines: 1, {rng.Next(100, 500)},00 lei",
        "cases" => "Told on the phone: no open petitions",
        _ => "Told on the phone: no petition of theirs with the number typed",
    };

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];

    private static Guid NextGuid(Random rng)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
