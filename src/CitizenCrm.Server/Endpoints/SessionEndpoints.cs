using System.Security.Claims;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using CitizenCrm.Server.Hosting;
using Mediator;

namespace CitizenCrm.Server.Endpoints;

public static class SessionEndpoints
{
    public sealed record SignInBody(string? Username, string? Password);

    public static void MapSessionEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Sign-in");

        auth.MapPost("/sign-in", async (SignInBody body, HttpContext http, IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new SignIn(body.Username, body.Password, http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), ct)))
            .Produces<SignedIn>().AllowAnonymous();

        auth.MapPost("/sign-out", async (ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new SignOut(user.FindFirstValue(BearerTokenHandler.TokenHashClaim)!), ct);
            return Results.NoContent();
        }).Produces(StatusCodes.Status204NoContent).RequireAuthorization();

        auth.MapGet("/me", (RequestContext context) => Results.Ok(context.Staff)).Produces<StaffIdentity>().RequireAuthorization();
    }
}
