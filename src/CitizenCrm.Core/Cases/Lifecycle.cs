using CitizenCrm.Core.Common;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// The lawful moves of a case: registered → assigned → in progress → answered → closed, or, while it is open,
/// forwarded / joined / filed away / rejected. Anything else is a 409 whose detail tells the clerk what to do instead.
/// </summary>
public static class Lifecycle
{
    public enum Move { Assign, Start, Answer, Close, Forward, Join, File, Reject, Extend, NotifyExtendedTerm, AttachDocument }

    private static readonly Dictionary<Move, string[]> AllowedFrom = new()
    {
        [Move.Assign] = [CaseStatuses.Registered, CaseStatuses.Assigned, CaseStatuses.InProgress],
        [Move.Start] = [CaseStatuses.Assigned],
        [Move.Answer] = [CaseStatuses.Assigned, CaseStatuses.InProgress],
        [Move.Close] = [CaseStatuses.Answered],
        [Move.Forward] = [.. CaseStatuses.Open],
        [Move.Join] = [.. CaseStatuses.Open],
        [Move.File] = [.. CaseStatuses.Open],
        [Move.Reject] = [.. CaseStatuses.Open],
        [Move.Extend] = [.. CaseStatuses.Open],
        [Move.NotifyExtendedTerm] = [.. CaseStatuses.Open],
        [Move.AttachDocument] = [.. CaseStatuses.Open, CaseStatuses.Answered],
    };

    private static string Verb(Move move) => move switch
    {
        Move.Assign => "assigned",
        Move.Start => "started",
        Move.Answer => "answered",
        Move.Close => "closed",
        Move.Forward => "forwarded",
        Move.Join => "joined to another petition",
        Move.File => "filed away",
        Move.Reject => "refused",
        Move.Extend or Move.NotifyExtendedTerm => "given a longer term",
        _ => "given new documents",
    };

    internal static void Ensure(CaseRow c, Move move)
    {
        if (AllowedFrom[move].Contains(c.Status)) return;
        var n = c.RegistrationNumber;
        var detail = (c.Status, move) switch
        {
            (CaseStatuses.Registered, Move.Start) => $"Case {n} must be assigned to a department or a staff member before work starts on it. Assign it first.",
            (CaseStatuses.Registered, Move.Answer) => $"Case {n} is not assigned yet. Assign it to a department or a staff member, then record the answer.",
            (_, Move.Close) when c.IsOpen => $"Case {n} has not been answered yet. Record the answer first, then close it.",
            (CaseStatuses.InProgress, Move.Start) => $"Work on case {n} has already started.",
            (CaseStatuses.Answered, Move.Answer) => $"Case {n} was already answered on {c.AnsweredOn:yyyy-MM-dd}. A new question from the party is a new registration, linked to this one.",
            (CaseStatuses.Answered, _) => $"An answered case cannot be {Verb(move)}. Close case {n}, or register the new matter, linked to this one.",
            (CaseStatuses.Closed, _) => $"A closed case cannot be {Verb(move)}; register the matter again, linked to this one ({n}).",
            (CaseStatuses.Forwarded, _) => $"Case {n} was forwarded to {c.ForwardedTo} and is handled there; it cannot be {Verb(move)} here.",
            (CaseStatuses.Joined, _) => $"Case {n} was joined to another petition of the same petitioner and is answered with it; work on that case instead.",
            (CaseStatuses.Filed, _) => $"Case {n} was filed away and cannot be {Verb(move)}. If the matter must be handled, register it again, linked to this one.",
            (CaseStatuses.Rejected, _) => $"Case {n} was refused and cannot be {Verb(move)}. If the party asks again, register the new request, linked to this one.",
            _ => $"A case in status '{c.Status.Replace('_', ' ')}' cannot be {Verb(move)}.",
        };
        throw new ConflictException(detail, "Not possible in this status");
    }
}
