using System.Globalization;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using Calendar = CitizenCrm.Core.Common.Calendar;
using CitizenCrm.Core.Holidays;
using CitizenCrm.Core.Phone;
using CitizenCrm.Core.Revenue;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using CitizenCrm.Ivr.Engine;
using CitizenCrm.Ivr.Scripts;
using CitizenCrm.Ivr.Speech;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Ivr;

/// <summary>
/// The actions a script may name (see <see cref="ScriptVocabulary.Actions"/>): each reads or writes through the
/// mediator and turns the answer into an outcome and the words to say. Runs inside the turn's transaction.
/// Every answer that discloses data appends an event saying what was disclosed.
/// </summary>
public sealed class PhoneActions(IMediator mediator, UnitOfWork uow, Timeline timeline, ScriptStore scripts,
    IOptions<PhoneOptions> options, TimeProvider clock)
{
    private const int MaxIdentityTries = 3;
    private const int MaxCasesRead = 5;

    public async Task<ActionResult> RunAsync(PendingAction pending, CallState state, TurnContext call, CancellationToken ct)
    {
        var input = pending.Input;
        return pending.Action switch
        {
            "take_cnp" => await TakeCnpAsync(state, input, ct),
            "verify_pin" => await VerifyPinAsync(state, input, call, ct),
            "tell_taxes" => await TellTaxesAsync(state, call, ct),
            "tell_fines" => await TellFinesAsync(state, call, ct),
            "case_by_number" => await CaseByNumberAsync(state, input, call, ct),
            "list_cases" => await ListCasesAsync(state, call, ct),
            "check_hours" => await CheckHoursAsync(state, ct),
            "request_callback" => await RequestContactAsync(state, call, PhoneRequestKinds.Callback, null, ct),
            "save_message" => input is CallerInput.Recording { Seconds: > 0, Url: { Length: > 0 } } r
                ? await RequestContactAsync(state, call, PhoneRequestKinds.Message, r, ct)
                : new ActionResult("empty", state),
            "survey_score" => await SurveyAsync(state, input, call, ct),
            _ => throw new InvalidOperationException($"The script names action '{pending.Action}', which the code does not run."),
        };
    }

    private string T(CallState s, string key, IReadOnlyDictionary<string, string>? vars = null) => scripts.Current.Text(s.Language, key, vars);
    private int CurrentYear => Calendar.Today(clock).Year;
    private string Money(CallState s, decimal amount) => SpeechFormat.Money(amount, s.Language);
    private string Date(CallState s, DateOnly d, DateCase form = DateCase.Plain) => SpeechFormat.Date(d, s.Language, CurrentYear, form);

    /// <summary>A date under every name a prompt may use: {due} as it stands, {due_on} "on" it, {due_until} "by" it (only Hungarian tells them apart).</summary>
    private Dictionary<string, string> DueVars(CallState s, DateOnly d, Dictionary<string, string>? more = null)
    {
        var vars = more ?? [];
        vars["due"] = Date(s, d);
        vars["due_on"] = Date(s, d, DateCase.On);
        vars["due_until"] = Date(s, d, DateCase.Until);
        return vars;
    }

    private ActionResult IdentityFailure(CallState s, string outcome)
    {
        var tries = s.IdentityTries + 1;
        var next = s with { IdentityTries = tries, CnpKey = null, CandidateCitizenId = null, Outcome = "identity_failed" };
        return new ActionResult(tries >= MaxIdentityTries ? "too_many" : outcome, next);
    }

    /// <summary>The checksum is checked before any lookup: a mistyped CNP never reaches the database.</summary>
    private async Task<ActionResult> TakeCnpAsync(CallState s, CallerInput? input, CancellationToken ct)
    {
        if (input is CallerInput.Keys { Digits: var digits } && Cnp.IsValid(digits))
        {
            var found = await mediator.Send(new LookUpCallerCnp(digits), ct);
            return new ActionResult("ok", s with { CnpKey = found.CnpKey, CandidateCitizenId = found.CitizenId });
        }
        return IdentityFailure(s, "invalid_cnp");
    }

    private async Task<ActionResult> VerifyPinAsync(CallState s, CallerInput? input, TurnContext call, CancellationToken ct)
    {
        if (s.CnpKey is null) return IdentityFailure(s, "failed");
        var pin = input is CallerInput.Keys k ? k.Digits : "";
        var result = await mediator.Send(new VerifyCaller(call.CallSid, call.Turn, s.CnpKey, s.CandidateCitizenId, pin), ct);
        if (!result.Verified) return IdentityFailure(s, "failed");
        var next = s with
        {
            CitizenId = result.CitizenId, FirstName = result.FirstName, CnpKey = null, CandidateCitizenId = null,
            IdentityTries = 0, Outcome = "identified",
        };
        return new ActionResult("verified", next, new Dictionary<string, string> { ["name"] = result.FirstName ?? "" });
    }

    private Task Disclosed(CallState s, TurnContext call, string what, string summary, object payload, CancellationToken ct, Guid? caseId = null) =>
        timeline.AppendAsync(new TimelineEntry
        {
            Kind = "ivr.answer_given", Channel = Channels.Ivr, CitizenId = s.CitizenId, CaseId = caseId, Correlation = call.CallSid,
            Summary = summary, Payload = new { What = what, Details = payload }, Facts = new { What = what },
            DedupKey = $"twilio:{call.CallSid}:{call.Turn}:3",
        }, ct);

    private static Guid Verified(CallState s) =>
        s.CitizenId ?? throw new InvalidOperationException("The flow reached a personal answer without a verified caller.");

    private async Task<ActionResult> TellTaxesAsync(CallState s, TurnContext call, CancellationToken ct)
    {
        var balance = await mediator.Send(new GetTaxBalance(Verified(s)), ct);
        var owed = balance.Obligations.Where(o => o.PayableNow > 0 || o.Outstanding > 0).ToList();
        var next = s with { Outcome = "answered" };
        if (balance.TotalPayableNow <= 0 || owed.Count == 0)
        {
            await Disclosed(s, call, "taxes", "Told on the phone: no taxes to pay", new { balance.TotalPayableNow }, ct);
            return new ActionResult("nothing", next);
        }
        var details = new List<string>();
        foreach (var o in owed)
        {
            var kind = T(s, "tax_kind_" + (o.TaxKind is "building" or "land" or "vehicle" ? o.TaxKind : "other"));
            var what = RomanianTerms.TaxDescription(o.Description, s.Language);
            details.Add(T(s, "tax_item", new Dictionary<string, string> { ["kind"] = kind, ["what"] = what, ["amount"] = Money(s, o.PayableNow) }));
            if (o.LateIncrease > 0) details.Add(T(s, "tax_increase", new Dictionary<string, string> { ["amount"] = Money(s, o.LateIncrease) }));
            if (o.DiscountAvailable > 0 && o.NextDueDate is { } by)
                details.Add(T(s, "tax_discount", DueVars(s, by, new() { ["amount"] = Money(s, o.DiscountAvailable) })));
            else if (o.NextDueDate is { } due && o.NextInstalment > 0)
                details.Add(T(s, "tax_due", DueVars(s, due, new() { ["amount"] = Money(s, o.NextInstalment) })));
        }
        await Disclosed(s, call, "taxes", $"Told on the phone: taxes payable now {balance.TotalPayableNow.ToString("N2", CultureInfo.GetCultureInfo("ro-RO"))} lei ({owed.Count} obligations)",
            new { balance.TotalPayableNow, Obligations = owed.Select(o => new { o.ObligationId, o.PayableNow, o.NextDueDate }) }, ct);
        return new ActionResult("owed", next, new Dictionary<string, string>
        {
            ["total"] = Money(s, balance.TotalPayableNow),
            ["details"] = string.Join(" ", details),
        });
    }

    private async Task<ActionResult> TellFinesAsync(CallState s, TurnContext call, CancellationToken ct)
    {
        var fines = await mediator.Send(new GetUnpaidFines(Verified(s)), ct);
        var next = s with { Outcome = "answered" };
        if (fines.Count == 0 || fines.Fines.Count == 0)
        {
            await Disclosed(s, call, "fines", "Told on the phone: no unpaid fines", new { fines.Count }, ct);
            return new ActionResult("nothing", next);
        }
        var today = Calendar.Today(clock);
        var details = new List<string>();
        foreach (var f in fines.Fines)
        {
            details.Add(T(s, "fine_item", new Dictionary<string, string>
            {
                ["date"] = Date(s, f.HandedOverOn), ["date_of"] = Date(s, f.HandedOverOn, DateCase.Of), ["amount"] = Money(s, f.Outstanding),
            }));
            // Say which half settles it: half of the legal minimum (OG 2/2001 art. 28(1)) or, under OUG 7/2026, half of the fine
            // applied; once part of it is paid, the amount is what is left of that half, and is called so.
            if (f.HalfMinimumAmount is { } half && f.HalfMinimumDeadline is { } deadline && deadline >= today)
            {
                var prompt = f.AmountPaid > 0 ? "fine_half_rest" : f.HalfOf == FineDiscount.HalfOfApplied ? "fine_half_applied" : "fine_half";
                details.Add(T(s, prompt, DueVars(s, deadline, new() { ["amount"] = Money(s, half) })));
            }
        }
        await Disclosed(s, call, "fines", $"Told on the phone: unpaid fines: {fines.Count}, {fines.TotalOutstanding.ToString("N2", CultureInfo.GetCultureInfo("ro-RO"))} lei",
            new { fines.Count, fines.TotalOutstanding, Fines = fines.Fines.Select(f => f.FineId) }, ct);
        return new ActionResult("owed", next, new Dictionary<string, string>
        {
            ["count"] = SpeechFormat.Count(fines.Count, s.Language, T(s, "fine_one"), T(s, "fine_many")),
            ["total"] = Money(s, fines.TotalOutstanding),
            ["details"] = string.Join(" ", details),
        });
    }

    /// <summary>"1234*2026" or "1234": the number, then optionally the year after a star.</summary>
    public static (int Number, int? Year)? ParseCaseNumber(string digits)
    {
        var parts = digits.Split('*');
        if (parts.Length > 2 || parts[0].Length is 0 or > 7 || !parts[0].All(char.IsAsciiDigit)) return null;
        var number = int.Parse(parts[0], CultureInfo.InvariantCulture);
        if (number == 0) return null;
        if (parts.Length == 1 || parts[1].Length == 0) return (number, null);
        if (parts[1].Length != 4 || !parts[1].All(char.IsAsciiDigit)) return null;
        var year = int.Parse(parts[1], CultureInfo.InvariantCulture);
        return year is >= 2000 and <= 2100 ? (number, year) : null;
    }

    private Dictionary<string, string> CaseVars(CallState s, CaseStatusView c)
    {
        var status = T(s, "status_" + c.Status);
        string details;
        if (c.AnsweredOn is { } answered) details = T(s, "case_answered", DueVars(s, answered));
        else if (c.DueOn is { } due) details = T(s, c.Late ? "case_late" : "case_due", DueVars(s, due));
        else details = "";
        var vars = new Dictionary<string, string>
        {
            // A Law 544/2001 information request is named as such, not as a petition (OG 27/2002); a service request as a request.
            ["kind"] = T(s, "case_kind_" + (c.Kind is CaseKinds.InformationRequest or CaseKinds.ServiceRequest ? c.Kind : CaseKinds.Petition)),
            ["number"] = SpeechFormat.RegistrationNumber(c.Number, c.Year, s.Language),
            ["status"] = status,
            ["details"] = details,
        };
        if (c.DueOn is { } d) return DueVars(s, d, vars);
        vars["due"] = vars["due_on"] = vars["due_until"] = "";
        return vars;
    }

    private async Task<ActionResult> CaseByNumberAsync(CallState s, CallerInput? input, TurnContext call, CancellationToken ct)
    {
        if (input is not CallerInput.Keys k || ParseCaseNumber(k.Digits) is not { } parsed) return new ActionResult("invalid", s);
        var lookup = await mediator.Send(new FindCitizenCaseByNumber(Verified(s), parsed.Number, parsed.Year), ct);
        var next = s with { Outcome = "answered" };
        if (lookup.Case is not { } c)
        {
            // Someone else's number reads exactly like a number that does not exist.
            await Disclosed(s, call, "case", "Told on the phone: no petition of theirs with the number typed", new { parsed.Number, parsed.Year }, ct);
            return new ActionResult("not_found", next);
        }
        await Disclosed(s, call, "case", $"Told on the phone: status of petition {c.RegistrationNumber} ({c.Status})",
            new { c.RegistrationNumber, c.Status, c.DueOn }, ct, c.CaseId);
        return new ActionResult("found", next, CaseVars(s, c));
    }

    private async Task<ActionResult> ListCasesAsync(CallState s, TurnContext call, CancellationToken ct)
    {
        // One page is plenty to read out (MaxCasesRead); the count said is the page's total, every open case.
        var cases = await mediator.Send(new GetCitizenCases(Verified(s), OpenOnly: true), ct);
        var next = s with { Outcome = "answered" };
        var count = (int)cases.Total;
        if (count == 0)
        {
            await Disclosed(s, call, "cases", "Told on the phone: no open petitions", new { Count = 0 }, ct);
            return new ActionResult("none", next);
        }
        var read = cases.Items.Take(MaxCasesRead).ToList();
        var details = read.Select(c => T(s, c.Late ? "case_item_late" : "case_item", CaseVars(s, c)));
        await Disclosed(s, call, "cases", $"Told on the phone: open petitions: {count} ({string.Join(", ", read.Select(c => c.RegistrationNumber))})",
            new { Count = count, Read = read.Select(c => c.RegistrationNumber) }, ct);
        return new ActionResult("some", next, new Dictionary<string, string>
        {
            // "two petitions" only when they all are petitions; with an information or service request among them, "two requests".
            ["count"] = cases.Items.All(c => c.Kind == CaseKinds.Petition) && cases.NextCursor is null
                ? SpeechFormat.Count(count, s.Language, T(s, "case_one"), T(s, "case_many"))
                : SpeechFormat.Count(count, s.Language, T(s, "request_one"), T(s, "request_many")),
            ["details"] = string.Join(" ", details),
        });
    }

    /// <summary>
    /// Open, closed, or closed for a legal holiday (named: "today is a public holiday: Romania's National Day") or a day the
    /// government declared free (Labour Code art. 139; the declared day's reason is a clerk's note, not read out).
    /// </summary>
    private async Task<ActionResult> CheckHoursAsync(CallState s, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = Calendar.LocalDate(now);
        var workingDays = await WorkingDays.LoadAsync(uow, today.Year, today.Year, ct);
        if (options.Value.IsOpen(now, workingDays)) return new ActionResult("open", s);
        var vars = new Dictionary<string, string> { ["hours"] = SpeechFormat.OpeningHours(options.Value.OpeningHours, s.Language) };
        if (LegalHolidays.For(today.Year).FirstOrDefault(h => h.Day == today) is { Name: { } holiday })
        {
            vars["holiday"] = RomanianTerms.Holiday(holiday, s.Language);
            return new ActionResult("holiday", s, vars);
        }
        if (today.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !workingDays.IsWorkingDay(today))
            return new ActionResult("day_off", s, vars);
        return new ActionResult("closed", s, vars);
    }

    private async Task<ActionResult> RequestContactAsync(CallState s, TurnContext call, string kind, CallerInput.Recording? recording, CancellationToken ct)
    {
        await mediator.Send(new RequestPhoneContact(call.CallSid, call.Turn, kind, s.Reason, s.CitizenId, call.CallerNumber, call.CallerMasked,
            s.Language, recording?.Url, recording?.Seconds), ct);
        return new ActionResult(kind == PhoneRequestKinds.Message ? "saved" : "done",
            s with { Outcome = kind == PhoneRequestKinds.Message ? "message_left" : "callback_requested" });
    }

    private async Task<ActionResult> SurveyAsync(CallState s, CallerInput? input, TurnContext call, CancellationToken ct)
    {
        if (input is not CallerInput.Keys { Digits: [>= '1' and <= '5'] digit }) return new ActionResult("invalid", s);
        var score = digit[0] - '0';
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "ivr.survey_answered", Channel = Channels.Ivr, CitizenId = s.CitizenId, Correlation = call.CallSid,
            Summary = $"Phone survey: {score} out of 5", Payload = new { Score = score }, Facts = new { Score = score },
            DedupKey = $"twilio:{call.CallSid}:{call.Turn}:5",
        }, ct);
        return new ActionResult("thanks", s);
    }
}
