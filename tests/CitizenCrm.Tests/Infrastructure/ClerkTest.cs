using CitizenCrm.Core.Common;

namespace CitizenCrm.Tests.Infrastructure;

/// <summary>A fresh server and database per test, with a signed-in clerk.</summary>
public abstract class ClerkTest
{
    protected CrmTestApp App { get; private set; } = null!;
    protected HttpClient Clerk { get; private set; } = null!;

    [SetUp]
    public async Task StartServerWithClerk()
    {
        App = new CrmTestApp();
        Clerk = await App.ClientFor(StaffRole.Clerk);
    }

    [TearDown]
    public void StopServer() => App.Dispose();
}
