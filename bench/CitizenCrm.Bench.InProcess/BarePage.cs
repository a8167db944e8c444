using System.Data.Common;
using Dapper;

namespace CitizenCrm.Bench.InProcess;

/// <summary>
/// The bare SQL of a citizen's timeline page: the two statements TimelinePaging builds for a citizen without filters
/// (src/CitizenCrm.Core/Timeline/TimelinePaging.cs), the count and the page of 50 (+1, to know whether more follow).
/// </summary>
public static class BarePage
{
    public const int PageSize = 50;
    private const string Where = " WHERE 1 = 1 AND citizen_id = @Prefix";
    // The total counts timeline_events alone, as TimelinePaging does (the view's join would read every event's details).
    public const string Count = "SELECT COUNT(*) FROM timeline_events" + Where;
    private const string Columns = """
        seq AS Seq, event_id AS EventId, citizen_id AS CitizenId, case_id AS CaseId, correlation AS Correlation,
        channel AS Channel, kind AS Kind, actor AS Actor, on_behalf_of AS OnBehalfOf, occurred_at AS OccurredAt,
        recorded_at AS RecordedAt, summary AS Summary, payload AS Payload, erased AS Erased
        """;
    private const string FirstPage = "SELECT " + Columns + " FROM timeline" + Where + " ORDER BY seq DESC LIMIT @Limit";
    private const string DeepPage = "SELECT " + Columns + " FROM timeline" + Where + " AND seq < @Before ORDER BY seq DESC LIMIT @Limit";

    /// <summary>The row as the bare query reads it (the core's own row type is internal to it).</summary>
    public sealed class Row
    {
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
        public bool Erased { get; init; }
    }

    /// <summary>Reads one page on an open connection; returns how many events it holds.</summary>
    public static async Task<int> ReadAsync(DbConnection connection, Guid citizen, long? before, CancellationToken ct)
    {
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(Count, new { Prefix = citizen }, cancellationToken: ct));
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(before is null ? FirstPage : DeepPage,
            new { Prefix = citizen, Before = before, Limit = PageSize + 1 }, cancellationToken: ct));
        return Math.Min(rows.AsList().Count, PageSize);
    }
}
