using System.Text.Json;
using CitizenCrm.Core.Common;

namespace CitizenCrm.Core.Timeline;

/// <summary>Where a contact happened.</summary>
public static class Channels
{
    public const string Phone = "phone", Ivr = "ivr", Desk = "desk", Web = "web", Email = "email",
        Post = "post", Map = "map", Field = "field", System = "system";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { Phone, Ivr, Desk, Web, Email, Post, Map, Field, System };
}

/// <summary>One line of a citizen's story, as staff read it.</summary>
public sealed record TimelineEvent(
    long Seq,
    Guid EventId,
    Guid? CitizenId,
    Guid? CaseId,
    string? Correlation,
    string Channel,
    string Kind,
    string Actor,
    string? OnBehalfOf,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string Summary,
    JsonElement Payload,
    bool Erased = false);

/// <summary>What a command asks the timeline to append.</summary>
public sealed record TimelineEntry
{
    public required string Kind { get; init; }
    public required string Channel { get; init; }
    /// <summary>One line a clerk reads; never a full CNP, PIN or phone number.</summary>
    public required string Summary { get; init; }
    public Guid? CitizenId { get; init; }
    public Guid? CaseId { get; init; }
    public string? Correlation { get; init; }
    /// <summary>Defaults to the signed-in staff member or the system actor.</summary>
    public string? Actor { get; init; }
    public string? OnBehalfOf { get; init; }
    public DateTimeOffset? OccurredAt { get; init; }
    /// <summary>Personal content: stored apart from the event (timeline_details), erased with the citizen.</summary>
    public object? Payload { get; init; }
    /// <summary>
    /// Figures a report counts (codes and numbers, never personal data): kept on the event row for ever, so the reports
    /// count the same after an erasure. Only what a report reads belongs here.
    /// </summary>
    public object? Facts { get; init; }
    /// <summary>Explicit dedup key (e.g. twilio:{CallSid}:{turn}:{n}); defaults to the command's key plus an ordinal.</summary>
    public string? DedupKey { get; init; }
}

/// <summary>The row as stored; instants are UTC milliseconds on every database.</summary>
internal sealed record TimelineRow
{
    public const string Columns = """
        seq AS Seq, event_id AS EventId, citizen_id AS CitizenId, case_id AS CaseId, correlation AS Correlation,
        channel AS Channel, kind AS Kind, actor AS Actor, on_behalf_of AS OnBehalfOf, occurred_at AS OccurredAt,
        recorded_at AS RecordedAt, summary AS Summary, payload AS Payload, erased AS Erased
        """;

    public long Seq { get; init; }
    public Guid EventId { get; init; }
    public Guid? CitizenId { get; init; }
    public Guid? CaseId { get; init; }
    public string? Correlation { get; init; }
    public string Channel { get; init; } = "";
    public string Kind { get; init; } = "";
    public string Actor { get; init; } = "";
    public string? OnBehalfOf { get; init; }
    public long OccurredAt { get; init; }
    public long RecordedAt { get; init; }
    public string Summary { get; init; } = "";
    public string Payload { get; init; } = "{}";
    public string Facts { get; init; } = "{}";
    /// <summary>The details were erased (the view reads 1): the summary is the placeholder, the payload empty.</summary>
    public bool Erased { get; init; }
    /// <summary>Written, never shown to staff.</summary>
    public string DedupKey { get; init; } = "";

    public TimelineEvent ToEvent()
    {
        using var doc = JsonDocument.Parse(Payload);
        return new TimelineEvent(Seq, EventId, CitizenId, CaseId, Correlation, Channel, Kind, Actor, OnBehalfOf,
            Calendar.FromMs(OccurredAt), Calendar.FromMs(RecordedAt), Summary, doc.RootElement.Clone(), Erased);
    }
}
