using System.Security.Claims;
using System.Text.Encodings.Web;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Server.Hosting;

/// <summary>Opaque bearer tokens, looked up by their hash on every request, so a revoked token stops at once.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IMediator mediator, RequestContext context)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    public const string TokenHashClaim = "token_hash";

    /// <summary>How the token came: "header" (Authorization: Bearer) or "cookie" (the console's session cookie).</summary>
    public const string CarriedByClaim = "carried_by";

    /// <summary>When the session ends (ISO 8601), for the console's "who am I".</summary>
    public const string ExpiresAtClaim = "expires_at";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The API's clients send the token in the header; the staff console's browser holds the same token in an
        // HttpOnly cookie, out of reach of any script (ConsoleSession). A header, when sent, wins.
        var header = Request.Headers.Authorization.ToString();
        string token, carriedBy;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            (token, carriedBy) = (header["Bearer ".Length..].Trim(), "header");
        else if (header.Length == 0 && Request.Cookies.TryGetValue(ConsoleSession.CookieName, out var cookie))
            (token, carriedBy) = (cookie.Trim(), "cookie");
        else return AuthenticateResult.NoResult();
        if (token.Length is 0 or > 200) return AuthenticateResult.Fail("Malformed token.");

        var session = await mediator.Send(new AuthenticateToken(token), Context.RequestAborted);
        if (session is null) return AuthenticateResult.Fail("The token is unknown, expired or revoked.");

        context.Staff = session.Identity;
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, session.Identity.UserId.ToString()),
            new Claim(ClaimTypes.Name, session.Identity.Username),
            new Claim(ClaimTypes.Role, session.Identity.Role.ToText()),
            new Claim(TokenHashClaim, session.TokenHash),
            new Claim(CarriedByClaim, carriedBy),
            new Claim(ExpiresAtClaim, session.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        Response.StatusCode = 401;
        return Task.CompletedTask;
    }
}

public static class RoleRequirements
{
    /// <summary>Only the named roles may call the endpoint; anyone else gets 403, anonymous callers 401.</summary>
    public static TBuilder AllowRoles<TBuilder>(this TBuilder builder, params StaffRole[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireRole(roles.Select(r => r.ToText())));
}
