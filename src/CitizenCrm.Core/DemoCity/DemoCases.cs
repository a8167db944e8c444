using System.Globalization;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Dispatch;
using CitizenCrm.Core.Intake;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.DemoCity;

/// <summary>
/// Cases of the demo city in every status, made by the registry's own commands (so numbers, deadlines, lawful transitions
/// and timeline events are the real ones), replayed in time order with the demo clock standing at each step: registration
/// numbers then follow the calendar, some open cases are late and others not. Each arrives by its channel's own door:
/// the web form (SubmitWebRequest, with its hashed access code), the registry mailbox (ReceiveEmail, with its
/// mail_messages key), a dispatcher logging a call (LogPhoneRequest), a volunteer in the field (RegisterFieldRequest);
/// the desk, the post and the phone robot through RegisterCase itself.
/// </summary>
internal sealed class DemoCases(IMediator mediator, DemoClock clock, DemoStaff staff, UnitOfWork uow,
    IReadOnlyDictionary<Guid, string> emails, IReadOnlyDictionary<Guid, string> phones, int seed)
{
    private const string WebCase = "SELECT id FROM cases WHERE year = @Year AND number = @Number AND channel = 'web' ORDER BY registered_at DESC LIMIT 1";

    private int _messages;

    private static readonly string[] Statuses =
    [
        CaseStatuses.Registered, CaseStatuses.Assigned, CaseStatuses.InProgress, CaseStatuses.Answered, CaseStatuses.Closed,
        CaseStatuses.Forwarded, CaseStatuses.Joined, CaseStatuses.Filed, CaseStatuses.Rejected,
    ];

    // Weights (per cent) after the first nine cases, which take each status once.
    private static readonly (string Status, int Weight)[] Mix =
    [
        (CaseStatuses.Closed, 32), (CaseStatuses.Answered, 10), (CaseStatuses.InProgress, 12), (CaseStatuses.Assigned, 10),
        (CaseStatuses.Registered, 12), (CaseStatuses.Forwarded, 5), (CaseStatuses.Joined, 4), (CaseStatuses.Filed, 9), (CaseStatuses.Rejected, 6),
    ];

    private static readonly string[] Departments =
        ["Direcția Fiscală", "Direcția Urbanism", "Administrarea Domeniului Public", "Serviciul Stare Civilă", "Registratură"];

    private static readonly string[] Categories =
        ["general", "fiscal_certificate", "urbanism_certificate", "building_permit", "civil_status", "public_works", "parking_permit"];

    private static readonly string[] PetitionSubjects =
    [
        "Sesizare privind iluminatul public pe strada mea", "Reclamație privind zgomotul de pe șantierul vecin",
        "Propunere pentru o pistă de biciclete pe Bd. Transilvaniei", "Sesizare gropi în carosabil", "Cerere de toaletare a arborilor",
        "Reclamație privind colectarea deșeurilor", "Kérés a járda javítására (cerere reparare trotuar)",
    ];

    private static readonly string[] InformationSubjects =
    [
        "Bugetul local pe anul în curs", "Contractele de salubrizare ale municipiului", "Lista autorizațiilor de construire emise",
        "Cheltuielile cu iluminatul festiv",
    ];

    private static readonly string[] Sending = [SendingMethods.Email, SendingMethods.Post, SendingMethods.InPerson];

    private sealed record Step(DateTimeOffset At, int Order, Func<Task> Run);

    /// <param name="featured">The demo citizens printed for trying the phone robot: the first cases (one in each status)
    /// go to them in turn, so each has cases to ask about, open ones among them.</param>
    public async Task<int> CreateAsync(Random rng, IReadOnlyList<(Guid Id, string Name)> citizens, IReadOnlyList<int> featured, int count, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var ids = new Guid[count * 2];
        var steps = new List<Step>();
        var order = 0;
        var next = 0;
        for (var i = 0; i < count; i++)
        {
            var status = i < Statuses.Length ? Statuses[i] : Weighted(rng);
            var citizen = citizens[rng.Next(citizens.Count)];
            if (i < Statuses.Length && featured.Count > 0) citizen = citizens[featured[i % featured.Count]];
            var open = status is CaseStatuses.Registered or CaseStatuses.Assigned or CaseStatuses.InProgress;
            // Open cases are recent (some already late, some not); finished ones anywhere in the last 13 months. Every step
            // stays in the past: at most 7 days of steps for an open case, 57 for a finished one.
            var registered = OfficeHour(rng, now.AddDays(-(open ? rng.Next(8, 45) : rng.Next(60, 400))));
            var kind = status switch
            {
                CaseStatuses.Forwarded or CaseStatuses.Joined => CaseKinds.Petition,
                CaseStatuses.Rejected => CaseKinds.InformationRequest,
                _ => rng.Next(100) switch { < 50 => CaseKinds.Petition, < 70 => CaseKinds.InformationRequest, _ => CaseKinds.ServiceRequest },
            };
            var anonymous = status == CaseStatuses.Filed && kind == CaseKinds.Petition && rng.Next(2) == 0;
            var me = next++;
            var register = Register(rng, kind, citizen.Id, anonymous, i);
            steps.Add(new Step(registered, order++, async () => ids[me] = await ArriveAsync(register, ct)));

            var at = registered;
            DateTimeOffset After(int minDays, int maxDays)
            {
                var step = OfficeHour(rng, at.AddDays(rng.Next(minDays, maxDays + 1)));
                return at = step > at ? step : at.AddMinutes(rng.Next(5, 90)); // always after the step before
            }
            switch (status)
            {
                case CaseStatuses.Registered:
                    break;
                case CaseStatuses.Forwarded:
                    Add(After(1, 4), new ForwardPetition(Guid.Empty, "Consiliul Județean Alba", Pick(rng, Sending), null), me);
                    break;
                case CaseStatuses.Rejected:
                    Add(After(1, 4), new RejectCase(Guid.Empty, "Informația solicitată privește date cu caracter personal.",
                        "Legea 544/2001 art. 12 alin. (1) lit. d)", "Secretarul general al municipiului", Pick(rng, Sending)), me);
                    break;
                case CaseStatuses.Filed when !anonymous:
                    Add(After(1, 10), new FileCase(Guid.Empty, "Petentul a retras cererea."), me);
                    break;
                case CaseStatuses.Joined:
                {
                    // The same petitioner's second petition on the same matter, joined to the first while it is still open.
                    var second = next++;
                    var again = register with { Subject = register.Subject + " (revenire)" };
                    steps.Add(new Step(After(1, 3), order++, async () => ids[second] = await ArriveAsync(again, ct)));
                    var joinAt = After(1, 2);
                    steps.Add(new Step(joinAt, order++, () => mediator.Send(new JoinPetition(ids[second], ids[me]), ct).AsTask()));
                    Add(After(1, 3), new AssignCase(Guid.Empty, Pick(rng, Departments), null), me);
                    Add(After(3, 12), AnswerOf(rng), me);
                    break;
                }
                case CaseStatuses.Filed:
                    break; // anonymous: filed away at registration (OG 27/2002 art. 7)
                default:
                    Add(After(0, 2), new AssignCase(Guid.Empty, Pick(rng, Departments), null), me);
                    if (status == CaseStatuses.Assigned) break;
                    Add(After(1, 5), new StartCase(Guid.Empty), me);
                    if (status == CaseStatuses.InProgress) break;
                    // Most answers come within the term, some after it (the timeline then shows the late answer).
                    Add(After(3, rng.Next(100) < 85 ? 20 : 40), AnswerOf(rng), me);
                    if (status == CaseStatuses.Answered) break;
                    Add(After(1, 10), new CloseCase(Guid.Empty, null), me);
                    break;
            }
        }

        var done = 0;
        try
        {
            foreach (var step in steps.OrderBy(s => s.At).ThenBy(s => s.Order))
            {
                clock.StandAt(step.At);
                await step.Run();
            }
            done = next;
        }
        finally
        {
            clock.Release();
        }
        return done;

        void Add(DateTimeOffset when, object command, int caseIndex) =>
            steps.Add(new Step(when, order++, () => command switch
            {
                ForwardPetition f => mediator.Send(f with { CaseId = ids[caseIndex] }, ct).AsTask(),
                RejectCase r => mediator.Send(r with { CaseId = ids[caseIndex] }, ct).AsTask(),
                FileCase f => mediator.Send(f with { CaseId = ids[caseIndex] }, ct).AsTask(),
                AssignCase a => mediator.Send(a with { CaseId = ids[caseIndex] }, ct).AsTask(),
                StartCase s => mediator.Send(s with { CaseId = ids[caseIndex] }, ct).AsTask(),
                AnswerCase a => mediator.Send(a with { CaseId = ids[caseIndex] }, ct).AsTask(),
                CloseCase c => mediator.Send(c with { CaseId = ids[caseIndex] }, ct).AsTask(),
                _ => throw new InvalidOperationException($"The demo city has no step for {command.GetType().Name}."),
            }));
    }

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];

    /// <summary>
    /// Registers <paramref name="r"/> through its channel's door, as it would arrive. An organisation has no web form, mailbox
    /// or field visit of its own in the registry: through those doors it arrives as the contact it wrote from (unmatched,
    /// for a dispatcher to link). A citizen who writes from an address or number the register does not know arrives unmatched too.
    /// </summary>
    public async Task<Guid> ArriveAsync(RegisterCase r, CancellationToken ct)
    {
        var service = r.Kind == CaseKinds.ServiceRequest ? r.EffectiveService : null;
        var contact = r.Contact ?? (r.Organisation is { } org ? new ContactParty(org.Name, $"office.{org.Cui}@example.com") : null);
        var n = ++_messages;
        switch (r.Channel)
        {
            case Channels.Web:
            {
                string? email = null, phone = null;
                if (r.CitizenId is { } id) { emails.TryGetValue(id, out email); if (email is null) phones.TryGetValue(id, out phone); }
                var name = r.CitizenId is { } cid ? await uow.ExecuteScalarAsync<string>(
                    "SELECT first_name || ' ' || last_name FROM citizens WHERE id = @Id", new { Id = cid }, ct) : contact!.Name;
                if (email is null && phone is null) email = ContactAddress(r, contact);
                var receipt = await staff.AsSystemAsync("citizen", async () =>
                    await mediator.Send(new SubmitWebRequest(r.Kind, name, email, phone, service, r.Subject, r.Description, null), ct));
                return await uow.ExecuteScalarAsync<Guid>(WebCase, new { receipt.Year, receipt.Number }, ct);
            }
            case Channels.Email:
            {
                string? from = null, name = contact?.Name;
                if (r.CitizenId is { } id)
                {
                    emails.TryGetValue(id, out from);
                    name = await uow.ExecuteScalarAsync<string>("SELECT first_name || ' ' || last_name FROM citizens WHERE id = @Id", new { Id = id }, ct);
                }
                from ??= ContactAddress(r, contact);
                var receipt = await staff.AsSystemAsync("system", async () => await mediator.Send(new ReceiveEmail(new IncomingEmail
                {
                    MessageKey = string.Create(CultureInfo.InvariantCulture, $"demo-{seed}-{n}@mail.example.net"),
                    FromAddress = from, FromName = name, Subject = r.Subject!, Text = r.Description ?? r.Subject, SentAt = clock.GetUtcNow().AddMinutes(-3),
                }), ct));
                var caseId = receipt.CaseId!.Value;
                // The mailbox registers every e-mail as a petition (OG 27/2002 art. 2); a dispatcher reclassifies a request
                // for public information (Law 544/2001), which then runs on its own 10-day term.
                if (r.Kind != CaseKinds.Petition)
                    await staff.AsAsync("dispecer1", async () => await mediator.Send(new ReclassifyCase(caseId, r.Kind, service,
                        "Solicitare de informații de interes public (Legea 544/2001), nu petiție."), ct));
                return caseId;
            }
            case Channels.Phone:
                return (await staff.AsAsync(n % 2 == 0 ? "dispecer1" : "dispecer2", async () => await mediator.Send(new LogPhoneRequest(
                    r.Kind, service, r.Subject, r.Description, r.CitizenId, r.CitizenId is null ? contact ?? new ContactParty("Apelant neidentificat", "apel telefonic") : null,
                    WrittenAndConfirmed: r.WrittenAndConfirmed), ct))).Id;
            case Channels.Field:
                return (await staff.AsAsync(n % 3 == 0 ? "echipa.mobila" : "voluntar1", async () => await mediator.Send(new RegisterFieldRequest(
                    r.Kind, service, r.Subject, r.Description, r.CitizenId, r.CitizenId is null ? contact ?? new ContactParty("Locuitor", "Str. Trandafirilor 3") : null), ct))).Id;
            default:
                return (await mediator.Send(r, ct)).Id;
        }
    }

    /// <summary>
    /// An address found in the contact's details, else one invented for the party on example.org (never a real mailbox):
    /// the same party writes from the same address, so a petition sent again is the same petitioner's (OG 27/2002 art. 10).
    /// </summary>
    private static string ContactAddress(RegisterCase r, ContactParty? contact) =>
        contact?.Details is { } d && Notifications.Outbox.EmailIn(d) is { } found && found.EndsWith("example.com", StringComparison.Ordinal)
            ? found
            : r.CitizenId is { } id ? $"locuitor.{id.ToString("N")[..10]}@example.org"
            : $"locuitor.{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(contact?.Name ?? "")))[..10].ToLowerInvariant()}@example.org";

    private static string Weighted(Random rng)
    {
        var roll = rng.Next(100);
        foreach (var (status, weight) in Mix)
        {
            if (roll < weight) return status;
            roll -= weight;
        }
        return CaseStatuses.Closed;
    }

    /// <summary>A moment in office hours (08:00–15:59 Bucharest) on that day.</summary>
    private static DateTimeOffset OfficeHour(Random rng, DateTimeOffset day)
    {
        var date = Common.Calendar.LocalDate(day);
        return Common.Calendar.StartOfDay(date).AddHours(8).AddMinutes(rng.Next(0, 8 * 60));
    }

    private static AnswerCase AnswerOf(Random rng) => new(Guid.Empty,
        "Vă comunicăm că solicitarea dumneavoastră a fost analizată și soluționată.", "OG 27/2002 art. 8; Legea 544/2001 art. 7",
        "Primarul municipiului Alba Iulia", Pick(rng, Sending), null, null);

    private static RegisterCase Register(Random rng, string kind, Guid citizenId, bool anonymous, int i)
    {
        var subject = kind switch
        {
            CaseKinds.Petition => Pick(rng, PetitionSubjects),
            CaseKinds.InformationRequest => Pick(rng, InformationSubjects),
            _ => "Cerere de eliberare document",
        };
        var channel = kind switch
        {
            CaseKinds.ServiceRequest => Pick(rng, new[] { Channels.Desk, Channels.Phone, Channels.Ivr, Channels.Web, Channels.Field }),
            _ => Pick(rng, new[] { Channels.Desk, Channels.Email, Channels.Post, Channels.Web, Channels.Phone }),
        };
        if (anonymous)
            return new RegisterCase(kind, Channels.Post, subject, null, null, null, null, Anonymous: true);
        var party = rng.Next(100);
        OrganisationParty? organisation = null;
        ContactParty? contact = null;
        Guid? citizen = null;
        if (party < 80) citizen = citizenId;
        else if (party < 90)
        {
            var body = (10_000_000 + rng.Next(0, 89_999_999)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            organisation = new OrganisationParty($"SC Demo {i} SRL", body + Cui.CheckDigit(body));
        }
        else contact = new ContactParty("Persoană neidentificată", "contact@example.com");
        var category = kind == CaseKinds.ServiceRequest ? Pick(rng, Categories) : null;
        // The catalogue takes urbanism requests only in writing (plans and deeds go with them), so those come to the desk.
        if (category is "urbanism_certificate" or "building_permit" && channel is Channels.Phone or Channels.Ivr) channel = Channels.Desk;
        // In the field a volunteer or the mobile team takes only what the catalogue lets them: street and public-works matters.
        if (channel == Channels.Field && category is not ("general" or "public_works")) category = "public_works";
        // A petition voiced on the phone is registered once written down and confirmed (OG 27/2002 art. 2).
        return new RegisterCase(kind, channel, subject, null, citizen, organisation, contact, Category: category,
            WrittenAndConfirmed: channel == Channels.Phone && kind == CaseKinds.Petition);
    }
}
