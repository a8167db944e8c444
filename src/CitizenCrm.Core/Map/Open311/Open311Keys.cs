using System.Security.Cryptography;
using System.Text;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Map.Open311;

/// <summary>An Open311 app's key as admins see it: never the key itself, which was shown once when issued.</summary>
public sealed record Open311Key(Guid Id, string AppName, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt, string? RevokedBy, string? RevokedReason)
{
    public bool Active => RevokedAt is null;
}

/// <summary>A key just issued: <see cref="ApiKey"/> is shown this once and stored only as its hash.</summary>
public sealed record Open311KeyIssued(Guid Id, string AppName, string ApiKey, DateTimeOffset CreatedAt, string CreatedBy);

/// <summary>The app a valid, unrevoked api_key belongs to.</summary>
public sealed record Open311App(Guid KeyId, string AppName);

/// <summary>
/// Open311 keys: 32 random bytes as 64 hex characters. GeoReport v2 sends the key as a form field (api_key), so it has
/// to be a plain string an app can paste. 256 random bits need no slow hash (there is nothing to guess), so the hash
/// is SHA-256, as for staff tokens, and a key is found by its hash with one indexed look-up.
/// </summary>
public static class Open311ApiKeys
{
    public static string New() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim().ToLowerInvariant())));

    internal const string Columns = """
        SELECT id AS Id, app_name AS AppName, created_at AS CreatedAt, created_by AS CreatedBy,
               revoked_at AS RevokedAt, revoked_by AS RevokedBy, revoked_reason AS RevokedReason
        FROM open311_keys
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public string AppName { get; init; } = "";
        public long CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public long? RevokedAt { get; init; }
        public string? RevokedBy { get; init; }
        public string? RevokedReason { get; init; }

        public Open311Key ToKey() => new(Id, AppName, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt), CreatedBy,
            RevokedAt is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null, RevokedBy, RevokedReason);
    }
}

/// <summary>An admin issues a key for one app (e.g. "FixMyStreet Alba", "Aplicația Primăriei pentru Android").</summary>
public sealed record IssueOpen311Key(string? AppName) : ICommand<Open311KeyIssued>, IValidatable, INotReplayable
{
    public void Validate(Validation v)
    {
        if (v.Required("appName", AppName, "The app's name")) v.MaxLength("appName", AppName, 200, "The app's name");
    }
}

public sealed class IssueOpen311KeyHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<IssueOpen311Key, Open311KeyIssued>
{
    private const string Insert = """
        INSERT INTO open311_keys (id, app_name, key_hash, created_at, created_by)
        VALUES (@Id, @AppName, @KeyHash, @Now, @Actor)
        """;

    public async ValueTask<Open311KeyIssued> Handle(IssueOpen311Key command, CancellationToken ct)
    {
        var key = Open311ApiKeys.New();
        var issued = new Open311KeyIssued(Guid.NewGuid(), command.AppName!.Trim(), key, clock.GetUtcNow(), context.Actor);
        await uow.ExecuteAsync(Insert, new
        {
            issued.Id, issued.AppName, KeyHash = Open311ApiKeys.Hash(key), Now = issued.CreatedAt.ToUnixTimeMilliseconds(), context.Actor,
        }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "open311.key_issued", Channel = Channels.System,
            Summary = $"Open311 key issued for the app '{issued.AppName}'",
            Payload = new { KeyId = issued.Id, issued.AppName },
        }, ct);
        return issued;
    }
}

/// <summary>Every key ever issued, newest first, without secrets.</summary>
public sealed record ListOpen311Keys : IQuery<IReadOnlyList<Open311Key>>;

public sealed class ListOpen311KeysHandler(UnitOfWork uow) : IQueryHandler<ListOpen311Keys, IReadOnlyList<Open311Key>>
{
    public async ValueTask<IReadOnlyList<Open311Key>> Handle(ListOpen311Keys query, CancellationToken ct) =>
        (await uow.QueryAsync<Open311ApiKeys.Row>(Open311ApiKeys.Columns + " ORDER BY created_at DESC, id", null, ct)).Select(r => r.ToKey()).ToList();
}

/// <summary>Revokes a key at once: the app's next POST gets a 403. Its reports stay as they are.</summary>
public sealed record RevokeOpen311Key(Guid Id, string? Reason) : ICommand<Open311Key>, IValidatable
{
    public void Validate(Validation v) => v.MaxLength("reason", Reason, 300, "The reason");
}

public sealed class RevokeOpen311KeyHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<RevokeOpen311Key, Open311Key>
{
    private const string Revoke = """
        UPDATE open311_keys SET revoked_at = @Now, revoked_by = @Actor, revoked_reason = @Reason
        WHERE id = @Id AND revoked_at IS NULL
        """;

    public async ValueTask<Open311Key> Handle(RevokeOpen311Key command, CancellationToken ct)
    {
        var row = await uow.QuerySingleOrDefaultAsync<Open311ApiKeys.Row>(Open311ApiKeys.Columns + " WHERE id = @Id", new { command.Id }, ct)
                  ?? throw new NotFoundException("Open311 key", command.Id);
        if (row.RevokedAt is not null) return row.ToKey(); // revoking twice changes nothing and is no error
        var reason = string.IsNullOrWhiteSpace(command.Reason) ? null : command.Reason.Trim();
        await uow.ExecuteAsync(Revoke, new { command.Id, Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), context.Actor, Reason = reason }, ct);
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "open311.key_revoked", Channel = Channels.System,
            Summary = $"Open311 key of the app '{row.AppName}' revoked",
            Payload = new { KeyId = row.Id, row.AppName, Reason = reason },
        }, ct);
        return (await uow.QuerySingleAsync<Open311ApiKeys.Row>(Open311ApiKeys.Columns + " WHERE id = @Id", new { command.Id }, ct)).ToKey();
    }
}

/// <summary>The app of an api_key, or null when the key is missing, unknown or revoked (all three are a 403 to Open311).</summary>
public sealed record FindOpen311App(string? ApiKey) : IQuery<Open311App?>;

public sealed class FindOpen311AppHandler(UnitOfWork uow) : IQueryHandler<FindOpen311App, Open311App?>
{
    private const string Sql = "SELECT id AS KeyId, app_name AS AppName FROM open311_keys WHERE key_hash = @Hash AND revoked_at IS NULL";

    private sealed record Row
    {
        public Guid KeyId { get; init; }
        public string AppName { get; init; } = "";
    }

    public async ValueTask<Open311App?> Handle(FindOpen311App query, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query.ApiKey) || query.ApiKey.Length > 200) return null;
        var row = await uow.QuerySingleOrDefaultAsync<Row>(Sql, new { Hash = Open311ApiKeys.Hash(query.ApiKey) }, ct);
        return row is null ? null : new Open311App(row.KeyId, row.AppName);
    }
}
