using System.Globalization;
using System.Security.Cryptography;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Dispatch;
using CitizenCrm.Core.Notifications;
using CitizenCrm.Core.Staff;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.DemoCity;

/// <summary>A staff account of the demo city (invented; all share one password, shown once).</summary>
public sealed record DemoStaffMember(string Username, string DisplayName, StaffRole Role, string? Department);

/// <summary>
/// The demo city's staff, made by the admins' own CreateStaffUser command: dispatchers, volunteers, clerks and one
/// supervisor per department (with an e-mail on example.org, so the deadline sweep's notices have someone to go to).
/// The demo acts as one of them by putting their identity on the request context, as a signed-in request would.
/// </summary>
internal sealed class DemoStaff(IMediator mediator, RequestContext context, StaffPasswords passwords)
{
    public static readonly DemoStaffMember[] Members =
    [
        new("dispecer1", "Dispecer Unu", StaffRole.Dispatcher, "Registratură"),
        new("dispecer2", "Dispecer Doi", StaffRole.Dispatcher, "Registratură"),
        new("voluntar1", "Voluntar Crucea Roșie", StaffRole.Volunteer, null),
        new("echipa.mobila", "Echipa mobilă de teren", StaffRole.Volunteer, null),
        new("ioana.pop", "Ioana Pop", StaffRole.Clerk, "Direcția Fiscală"),
        new("andrei.muntean", "Andrei Muntean", StaffRole.Clerk, "Direcția Urbanism"),
        new("kovacs.eva", "Kovács Éva", StaffRole.Clerk, "Serviciul Stare Civilă"),
        new("sef.fiscal", "Șef Direcția Fiscală", StaffRole.Supervisor, "Direcția Fiscală"),
        new("sef.urbanism", "Șef Direcția Urbanism", StaffRole.Supervisor, "Direcția Urbanism"),
        new("sef.domeniu", "Șef Administrarea Domeniului Public", StaffRole.Supervisor, "Administrarea Domeniului Public"),
        new("sef.starecivila", "Șef Serviciul Stare Civilă", StaffRole.Supervisor, "Serviciul Stare Civilă"),
        new("sef.registratura", "Șef Registratură", StaffRole.Supervisor, "Registratură"),
    ];

    private readonly Dictionary<string, StaffIdentity> _identities = new(StringComparer.Ordinal);

    /// <summary>Creates the accounts; returns their shared password (random, not from the seed: a secret shown once).</summary>
    public async Task<string> CreateAsync(CancellationToken ct)
    {
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');
        var hash = passwords.Hash(password); // one PBKDF2 for all: hashing twelve would cost seconds
        foreach (var m in Members)
        {
            var email = m.Role is StaffRole.Supervisor or StaffRole.Clerk or StaffRole.Dispatcher ? $"{m.Username}@example.org" : null;
            var user = await mediator.Send(new CreateStaffUser(m.Username, m.DisplayName, m.Role.ToText(), hash, email, m.Department), ct);
            _identities[m.Username] = new StaffIdentity(user.Id, user.Username, user.Role);
        }
        return password;
    }

    /// <summary>Runs <paramref name="action"/> as an actor without a login (the web form's "citizen", the mail poll's "system").</summary>
    public async Task<T> AsSystemAsync<T>(string actor, Func<Task<T>> action)
    {
        var before = context.SystemActor;
        context.SystemActor = actor;
        try { return await action(); }
        finally { context.SystemActor = before; }
    }

    /// <summary>Runs <paramref name="action"/> as if <paramref name="username"/> were signed in.</summary>
    public async Task<T> AsAsync<T>(string username, Func<Task<T>> action)
    {
        var before = context.Staff;
        context.Staff = _identities[username];
        try { return await action(); }
        finally { context.Staff = before; }
    }
}

/// <summary>
/// What happens to the demo city's cases after their registration, at the demo's "now": dispatchers claim and assign
/// open cases and set priorities, the outbox sender delivers most notifications (nothing leaves the machine: the outcome
/// of each attempt is recorded as the sender would record it), and the deadline sweep runs.
/// </summary>
internal sealed class DemoDispatch(IMediator mediator, UnitOfWork uow, DemoClock clock, DemoStaff staff, DemoCases arrivals)
{
    private const string OpenUnclaimed = """
        SELECT id FROM cases WHERE status IN ('registered', 'assigned') AND assigned_to IS NULL AND party_kind <> 'contact'
        ORDER BY year, number, register_code
        """;
    private const string OpenCases = "SELECT id FROM cases WHERE status IN ('registered', 'assigned', 'in_progress') ORDER BY year, number, register_code";
    private const string FirstDue = "SELECT MIN(next_attempt_at) FROM notifications WHERE status = 'pending'";

    public sealed record Figures(int ArrivedToday, int Claimed, int Assigned, int Prioritised, int Sent, int Failed, int Pending, DeadlineSweepResult Sweep);

    public async Task<Figures> RunAsync(Random rng, DateTimeOffset now, CancellationToken ct)
    {
        int claimed = 0, assigned = 0, prioritised = 0;
        var at = Common.Calendar.StartOfDay(Common.Calendar.LocalDate(now)).AddHours(7);
        if (at > now.AddMinutes(-90)) at = now.AddHours(-3);

        // The morning's new arrivals, not yet looked at: unmatched ones among them, their acknowledgements still in the outbox.
        var today = new[]
        {
            new RegisterCase(CaseKinds.Petition, Channels.Web, "Sesizare: container de gunoi răsturnat pe strada Florilor", null, null, null,
                new ContactParty("Mihai Dobre", "mihai.dobre@example.net")),
            new RegisterCase(CaseKinds.Petition, Channels.Email, "Reclamație zgomot nocturn bar Piața Cetății", null, null, null,
                new ContactParty("Szabó Katalin", "szabo.katalin@example.com")),
            new RegisterCase(CaseKinds.InformationRequest, Channels.Web, "Numărul de locuri de parcare de reședință alocate în 2025", null, null, null,
                new ContactParty("Asociația Civică Alba", "contact@asociatia.example.org")),
            new RegisterCase(CaseKinds.ServiceRequest, Channels.Phone, "Iluminat public defect pe Aleea Parcului", null, null, null,
                new ContactParty("Apelant neidentificat", "apel telefonic, a lăsat numele Ion"), Category: "public_works"),
            new RegisterCase(CaseKinds.ServiceRequest, Channels.Field, "Groapă adâncă în carosabil, Str. Moților 12", null, null, null,
                new ContactParty("Elena Vasile (fără act la ea)", "Str. Moților 12, ap. 4"), Category: "public_works"),
        };
        var morning = at;
        foreach (var r in today)
        {
            clock.StandAt(at = at.AddMinutes(rng.Next(3, 15)));
            await arrivals.ArriveAsync(r, ct);
        }

        // This morning's work at the dispatch centre: a few open cases claimed, some given to a clerk, priorities set.
        var open = await uow.QueryAsync<Guid>(OpenUnclaimed, null, ct);
        foreach (var id in open)
        {
            var roll = rng.Next(100);
            if (roll >= 45) continue;
            clock.StandAt(at = at.AddSeconds(rng.Next(20, 120)));
            if (roll < 20)
            {
                await staff.AsAsync(rng.Next(2) == 0 ? "dispecer1" : "dispecer2", async () => await mediator.Send(new ClaimCase(id), ct));
                claimed++;
            }
            else
            {
                var clerk = Pick(rng, ["ioana.pop", "andrei.muntean", "kovacs.eva"]);
                var department = DemoStaff.Members.First(m => m.Username == clerk).Department;
                await staff.AsAsync("dispecer1", async () => await mediator.Send(new AssignCases([id], department, clerk), ct));
                assigned++;
            }
        }
        foreach (var id in await uow.QueryAsync<Guid>(OpenCases, null, ct))
        {
            var roll = rng.Next(100);
            if (roll >= 25) continue;
            var priority = roll switch { < 4 => Priorities.Urgent, < 16 => Priorities.High, _ => Priorities.Low };
            clock.StandAt(at = at.AddSeconds(rng.Next(10, 60)));
            await staff.AsAsync("dispecer2", async () => await mediator.Send(new SetCasePriority(id, priority), ct));
            prioritised++;
        }

        var (sent, failed) = await SendOutboxAsync(rng, morning, ct);
        clock.StandAt(now);
        var sweep = await mediator.Send(new SweepDeadlines(), ct);
        clock.Release();
        var pending = (int)await uow.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM notifications WHERE status = 'pending'", null, ct);
        return new Figures(today.Length, claimed, assigned, prioritised, sent, failed, pending, sweep);
    }

    /// <summary>
    /// The outbox sender's runs over the city's past, through its own commands (claim, then record each outcome): most
    /// notifications went out within a minute or two, some only after a retry, a few were refused for good (a mailbox
    /// that does not exist, a number that takes no SMS). Those of this morning (and a retry due since)
    /// wait for the next run: the sender has not run since the morning's arrivals.
    /// </summary>
    private async Task<(int Sent, int Failed)> SendOutboxAsync(Random rng, DateTimeOffset cutoff, CancellationToken ct)
    {
        int sent = 0, failed = 0;
        var retried = new HashSet<Guid>();
        while (await uow.ExecuteScalarAsync<long?>(FirstDue, null, ct) is { } dueMs && Common.Calendar.FromMs(dueMs) < cutoff)
        {
            var runAt = Common.Calendar.FromMs(dueMs).AddSeconds(rng.Next(5, 90));
            if (runAt > cutoff) runAt = cutoff;
            clock.StandAt(runAt);
            var runId = "demo-" + rng.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
            var claimed = await mediator.Send(new ClaimDueNotifications(runId, [NotificationChannels.Email, NotificationChannels.Sms]), ct);
            if (claimed.Count == 0) break;
            // Each notice's fate follows from what it is (its case, kind and recipient), not from the order the outbox
            // hands them out in: notices made in the same minute are ordered by their random ids.
            var keys = (await uow.QueryAsync<NoticeKey>(Keys, new { Ids = claimed.Select(n => n.Id).ToList() }, ct)).ToDictionary(k => k.Id, k => k.Key);
            foreach (var n in claimed.OrderBy(n => keys[n.Id], StringComparer.Ordinal))
            {
                var roll = (int)(Stable(keys[n.Id]) % 1000);
                SendOutcome outcome;
                // A few go nowhere; so does, often, the address an unidentified person scribbled on a form.
                if (roll < 15 || n.Recipient == UnknownMailbox && roll % 4 == 0)
                    outcome = SendOutcome.Refused(n.Channel == NotificationChannels.Sms
                        ? "Twilio refused the message: 21614, the number is not a mobile number."
                        : "550 5.1.1 The recipient's mailbox does not exist.");
                else if (roll < 60 && retried.Add(n.Id))
                    outcome = SendOutcome.Transient(n.Channel == NotificationChannels.Sms
                        ? "Twilio answered 503 Service Unavailable."
                        : "421 4.7.0 Try again later, closing connection.");
                else
                    outcome = SendOutcome.Accepted(n.Channel == NotificationChannels.Sms
                        ? "SM" + Stable(keys[n.Id] + ":sms").ToString("x16", CultureInfo.InvariantCulture) + "demo0000000000000000"
                        : NotificationTransports.MessageIdOf(n.Id, "registratura@example.org"));
                switch (await mediator.Send(new RecordNotificationOutcome(n.Id, runId, outcome), ct))
                {
                    case RecordNotificationOutcomeHandler.Sent: sent++; break;
                    case RecordNotificationOutcomeHandler.Failed: failed++; break;
                }
            }
        }
        return (sent, failed);
    }

    private const string UnknownMailbox = "contact@example.com";

    private const string Keys = """
        SELECT n.id AS Id, COALESCE(c.register_code || '/' || c.number || '/' || c.year, '') || ':' || n.kind || ':' || n.recipient AS Key
        FROM notifications n LEFT JOIN cases c ON c.id = n.case_id WHERE n.id IN @Ids
        """;

    private sealed record NoticeKey
    {
        public Guid Id { get; init; }
        public string Key { get; init; } = "";
    }

    private static ulong Stable(string key) => BitConverter.ToUInt64(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)), 0);

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];
}
