namespace CitizenCrm.Core.DemoCity;

/// <summary>
/// The application's clock for the demo city: the real (or test) clock, except while the demo replays a case's past
/// through the registry's own commands, when it stands at the moment each step happened. Used only by the demo-city verb
/// and its tests; the server never registers it.
/// </summary>
public sealed class DemoClock(TimeProvider inner) : TimeProvider
{
    private DateTimeOffset? _at;

    public override DateTimeOffset GetUtcNow() => _at ?? inner.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    /// <summary>Stands at <paramref name="at"/> until <see cref="Release"/>.</summary>
    public void StandAt(DateTimeOffset at) => _at = at;

    public void Release() => _at = null;
}
