using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Cases;

/// <summary>
/// An internal note on a case, for colleagues only: one event of kind <see cref="Kind"/> on the case's history (and on its
/// citizen's timeline, which only staff read). It changes nothing on the case, is allowed in every status, and is never
/// shown to the public: the public updates (Open311 servicerequestupdates, the map's report page, the reporters' e-mails)
/// list only their own kinds, and a web request's public status reads no history.
/// </summary>
public sealed record AddCaseNote(Guid CaseId, string? Text) : ICommand<CaseNote>, IValidatable
{
    public const string Kind = "case.internal_note";
    public const int MaxLength = 4000;

    public void Validate(Validation v)
    {
        if (v.Required("text", Text, "The note's text")) v.MaxLength("text", Text, MaxLength, "The note");
    }
}

/// <summary>The note as recorded: its place on the timeline (seq), who wrote it and when.</summary>
public sealed record CaseNote(Guid CaseId, string RegistrationNumber, long Seq, string Author, DateTimeOffset At, string Text, bool Internal);

public sealed class AddCaseNoteHandler(UnitOfWork uow, Timeline.Timeline timeline) : ICommandHandler<AddCaseNote, CaseNote>
{
    public async ValueTask<CaseNote> Handle(AddCaseNote command, CancellationToken ct)
    {
        var c = await CaseStore.LoadAsync(uow, command.CaseId, ct);
        var text = command.Text!.Trim();
        // The one-line summary holds at most 500 characters on the server databases (timeline_details.summary): a long
        // note is cut there, and kept whole in the payload, which the case's history shows.
        var summary = $"Internal note on {CaseStore.KindName(c.Kind).ToLowerInvariant()} {c.RegistrationNumber} (staff only): ";
        summary += text.Length <= 500 - summary.Length ? text : text[..(500 - summary.Length - 1)] + "…";
        var e = await CaseStore.RecordAsync(timeline, c, AddCaseNote.Kind, summary,
            new { text, @internal = true, number = c.RegistrationNumber }, ct);
        return new CaseNote(c.Id, c.RegistrationNumber, e.Seq, e.Actor, e.OccurredAt, text, true);
    }
}
