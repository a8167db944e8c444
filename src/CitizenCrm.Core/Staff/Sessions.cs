using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Staff;

public sealed record SignedIn(string Token, DateTimeOffset ExpiresAt, StaffUser User);

/// <summary>
/// Staff sign in with user name and password and get an opaque bearer token (only its SHA-256 is stored).
/// Not a command in the pipeline's sense: the slow password check must run outside any write transaction,
/// so the handler opens its own short transactions for the failure count and the new token.
/// </summary>
public sealed record SignIn(string? Username, [property: JsonIgnore] string? Password, string ClientAddress) : IRequest<SignedIn>, IValidatable
{
    public void Validate(Validation v)
    {
        v.Required("username", Username, "The user name");
        v.Required("password", Password, "The password");
    }
}

public sealed class SignInHandler(UnitOfWork uow, StaffPasswords passwords, IOptions<StaffOptions> options, TimeProvider clock)
    : IRequestHandler<SignIn, SignedIn>
{
    private const string CountUser = "SELECT COUNT(*) FROM login_failures WHERE username = @Username AND at >= @Since";
    private const string CountAddress = "SELECT COUNT(*) FROM login_failures WHERE address = @Address AND at >= @Since";
    private const string RecordFailure = "INSERT INTO login_failures (at, username, address) VALUES (@At, @Username, @Address)";
    private const string InsertToken = "INSERT INTO staff_tokens (token_hash, user_id, created_at, expires_at) VALUES (@TokenHash, @UserId, @Now, @ExpiresAt)";

    public async ValueTask<SignedIn> Handle(SignIn request, CancellationToken ct)
    {
        var o = options.Value;
        var username = request.Username!.Trim().ToLowerInvariant();
        var now = clock.GetUtcNow();
        var since = now.AddMinutes(-o.FailureWindowMinutes).ToUnixTimeMilliseconds();
        var retry = TimeSpan.FromMinutes(o.FailureWindowMinutes);
        if (await uow.ExecuteScalarAsync<long>(CountUser, new { Username = username, Since = since }, ct) >= o.MaxFailuresPerUser)
            throw new TooManyAttemptsException($"Too many failed sign-ins for this user. Try again in {o.FailureWindowMinutes:0} minutes or ask an admin to reset the password.", retry);
        if (await uow.ExecuteScalarAsync<long>(CountAddress, new { Address = request.ClientAddress, Since = since }, ct) >= o.MaxFailuresPerAddress)
            throw new TooManyAttemptsException($"Too many failed sign-ins from this computer. Try again in {o.FailureWindowMinutes:0} minutes.", retry);

        var user = await uow.QuerySingleOrDefaultAsync<StaffUserRow>(
            "SELECT " + StaffUserRow.Columns + " FROM staff_users WHERE username = @Username", new { Username = username }, ct);
        if (!passwords.Verify(request.Password!, user?.PasswordHash) || user is null || user.Disabled)
        {
            await uow.InSharedCommitAsync(() => uow.ExecuteAsync(RecordFailure,
                new { At = now.ToUnixTimeMilliseconds(), Username = username, Address = request.ClientAddress }, ct), ct);
            throw new SignInFailedException();
        }

        var token = "ccrm_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = now.AddHours(o.TokenLifetimeHours);
        await uow.InSharedCommitAsync(() => uow.ExecuteAsync(InsertToken, new
        {
            TokenHash = TokenHash(token), UserId = user.Id, Now = now.ToUnixTimeMilliseconds(), ExpiresAt = expires.ToUnixTimeMilliseconds(),
        }, ct), ct);
        return new SignedIn(token, expires, user.ToUser());
    }

    public static string TokenHash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>Wrong user name, wrong password and disabled account all read the same.</summary>
public sealed class SignInFailedException() : CrmException("Sign-in failed", "The user name or password is wrong, or the account is disabled.");

/// <summary>The signed-in user for a bearer token, or null if it is unknown, expired, revoked or its user disabled.</summary>
public sealed record AuthenticateToken(string Token) : IRequest<AuthenticatedSession?>;

public sealed record AuthenticatedSession(StaffIdentity Identity, string TokenHash, DateTimeOffset ExpiresAt);

public sealed class AuthenticateTokenHandler(UnitOfWork uow, TimeProvider clock) : IRequestHandler<AuthenticateToken, AuthenticatedSession?>
{
    private const string Sql = """
        SELECT u.id AS UserId, u.username AS Username, u.role AS Role, t.expires_at AS ExpiresAt
        FROM staff_tokens t JOIN staff_users u ON u.id = t.user_id
        WHERE t.token_hash = @TokenHash AND t.revoked_at IS NULL AND t.expires_at > @Now AND u.disabled = 0
        """;

    private sealed record Row(Guid UserId, string Username, string Role, long ExpiresAt);

    public async ValueTask<AuthenticatedSession?> Handle(AuthenticateToken request, CancellationToken ct)
    {
        var hash = SignInHandler.TokenHash(request.Token);
        var row = await uow.QuerySingleOrDefaultAsync<Row>(Sql, new { TokenHash = hash, Now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, ct);
        return row is null || !StaffRoles.TryParse(row.Role, out var role)
            ? null
            : new AuthenticatedSession(new StaffIdentity(row.UserId, row.Username, role), hash, Calendar.FromMs(row.ExpiresAt));
    }
}

/// <summary>Ends the current session: the token stops working at once.</summary>
public sealed record SignOut(string TokenHash) : ICommand<bool>;

public sealed class SignOutHandler(UnitOfWork uow, TimeProvider clock) : ICommandHandler<SignOut, bool>
{
    public async ValueTask<bool> Handle(SignOut command, CancellationToken ct) =>
        await uow.ExecuteAsync("UPDATE staff_tokens SET revoked_at = @Now WHERE token_hash = @TokenHash AND revoked_at IS NULL",
            new { Now = clock.GetUtcNow().ToUnixTimeMilliseconds(), command.TokenHash }, ct) > 0;
}

/// <summary>The account a session belongs to, for the console's header (its name, role and department).</summary>
public sealed record GetSignedInUser(Guid UserId) : IQuery<StaffUser>;

public sealed class GetSignedInUserHandler(UnitOfWork uow) : IQueryHandler<GetSignedInUser, StaffUser>
{
    public async ValueTask<StaffUser> Handle(GetSignedInUser query, CancellationToken ct) =>
        (await uow.QuerySingleAsync<StaffUserRow>("SELECT " + StaffUserRow.Columns + " FROM staff_users WHERE id = @UserId", new { query.UserId }, ct)).ToUser();
}
