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

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
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
