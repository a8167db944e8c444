using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CitizenCrm.Tests.Infrastructure;

/// <summary>
/// The test server on a real socket, for a browser: the test host's in-memory server is reachable only through its own
/// HttpClient. Kestrel listens on 127.0.0.1 with a port the system picks (port 0), so no fixed port can clash or fall
/// on one that Chromium refuses (ERR_UNSAFE_PORT).
/// </summary>
public static class LoopbackServer
{
    /// <summary>Starts the app on Kestrel (call before anything else uses it) and returns its address, like http://127.0.0.1:41234.</summary>
    public static Uri StartOnLoopback(this CrmTestApp app)
    {
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new Uri(address);
    }
}
