using System.Security.Claims;
using CitizenCrm.Core.Staff;
using CitizenCrm.Server.Hosting;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CitizenCrm.Server.Endpoints;

/// <summary>The staff console's sign-in and sign-out: the API's own, with the token put in an HttpOnly cookie instead of the body.</summary>
public static class ConsoleSessionEndpoints
{
    /// <summary>Who signed in, for the console's header and navigation; never the token.</summary>
    public sealed record ConsoleSignedIn(Guid UserId, string Username, string DisplayName, string Role, string? Department, DateTimeOffset ExpiresAt);

    public static void MapConsoleSessionEndpoints(this RouteGroupBuilder api)
    {
        var console = api.MapGroup("/auth/console").WithTags("Sign-in");

        console.MapPost("/sign-in", async (SessionEndpoints.SignInBody body, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            // Even signing in needs the console's header: another site's form cannot sign a clerk's browser into its own account.
            if (!ConsoleSession.HasConsoleHeader(http.Request))
                return Results.Problem(statusCode: 403, title: "Missing anti-forgery header",
                    detail: $"The console signs in with the header '{ConsoleSession.HeaderName}: 1'. API clients use POST /api/auth/sign-in and a bearer token.");
            var signedIn = await mediator.Send(new SignIn(body.Username, body.Password, http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), ct);
            http.Response.Cookies.Append(ConsoleSession.CookieName, signedIn.Token, ConsoleSession.CookieFor(http, signedIn.ExpiresAt));
            var user = signedIn.User;
            return Results.Ok(new ConsoleSignedIn(user.Id, user.Username, user.DisplayName, user.Role.ToText(), user.Department, signedIn.ExpiresAt));
        }).Produces<ConsoleSignedIn>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).AllowAnonymous()
          .WithDescription("The staff console's sign-in: the token goes into an HttpOnly, SameSite=Strict cookie, never into the body. " +
                           $"Needs the header '{ConsoleSession.HeaderName}: 1', like every change the console then makes.");

        console.MapPost("/sign-out", async (HttpContext http, ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        {
            // Only the cookie's own session ends here; an API client's bearer token is ended by POST /api/auth/sign-out.
            if (user.FindFirstValue(BearerTokenHandler.CarriedByClaim) == "cookie" && user.FindFirstValue(BearerTokenHandler.TokenHashClaim) is { } hash)
                await mediator.Send(new SignOut(hash), ct);
            http.Response.Cookies.Delete(ConsoleSession.CookieName, ConsoleSession.CookieFor(http, null));
            return Results.NoContent();
        }).Produces(StatusCodes.Status204NoContent).AllowAnonymous()
          .WithDescription("Ends the console's session: the token is revoked and the cookie removed.");

        console.MapGet("/me", async (ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        {
            var id = Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);
            var me = await mediator.Send(new GetSignedInUser(id), ct);
            var expires = DateTimeOffset.Parse(user.FindFirstValue(BearerTokenHandler.ExpiresAtClaim)!, System.Globalization.CultureInfo.InvariantCulture);
            return Results.Ok(new ConsoleSignedIn(me.Id, me.Username, me.DisplayName, me.Role.ToText(), me.Department, expires));
        }).Produces<ConsoleSignedIn>().RequireAuthorization()
          .WithDescription("Who the console's session belongs to (401 when it has ended).");
    }
}
