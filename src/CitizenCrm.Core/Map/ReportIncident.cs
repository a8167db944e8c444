using System.Globalization;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Catalogue;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Intake;
using CitizenCrm.Core.Pipeline;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;
using Microsoft.Extensions.Options;

namespace CitizenCrm.Core.Map;

/// <summary>What a reporter gets back: the case's number and term, the Open311 id and token, a possible duplicate.</summary>
public sealed record IncidentReport(
    Guid CaseId, string ServiceRequestId, string Token, string RegistrationNumber, int Year, int Number,
    DateOnly RegisteredOn, DateOnly? DueOn, Guid? PossibleDuplicateOf, IReadOnlyList<ReportPhoto> Photos, bool Public);

/// <summary>
/// An incident reported on the map, by the city's own map page or by an Open311 app: a service request of an incident
/// service from the 'map' channel, at a place inside the city. Field names are Open311's (service_code, lat, long,
/// address_string, attribute[code], media), so the same refusals read right to an app and to the page.
/// The reporter is matched to a citizen by e-mail or phone when exactly one citizen has them, and the report then goes
/// on that citizen's timeline; otherwise the reporter is the case's contact, as given.
/// </summary>
public sealed record ReportIncident(
    string? ServiceCode,
    double? Latitude,
    double? Longitude,
    string? AddressString,
    string? AddressId,
    string? Description,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Attributes,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Phone,
    string? DeviceId,
    string? AccountId,
    IReadOnlyList<string>? MediaLinks,
    string Source,
    Guid? AppKeyId = null,
    [property: JsonIgnore] IReadOnlyList<PhotoUpload>? Photos = null) : ICommand<IncidentReport>, IValidatable, INotReplayable
{
    public void Validate(Validation v)
    {
        if (v.Required("service_code", ServiceCode, "The service (service_code)")) v.MaxLength("service_code", ServiceCode, 40, "The service code");
        var hasPoint = Latitude is not null || Longitude is not null;
        if (hasPoint)
        {
            if (Latitude is not { } lat || double.IsNaN(lat) || lat is < -90 or > 90)
                v.Add("lat", "The latitude (lat) must be a number of degrees between -90 and 90 (WGS84), given with long.");
            if (Longitude is not { } lon || double.IsNaN(lon) || lon is < -180 or > 180)
                v.Add("long", "The longitude (long) must be a number of degrees between -180 and 180 (WGS84), given with lat.");
        }
        else if (string.IsNullOrWhiteSpace(AddressString) && string.IsNullOrWhiteSpace(AddressId))
            v.Add("lat", "Say where the problem is: lat and long, or address_string, or address_id.");
        v.MaxLength("address_string", AddressString, 300, "The address");
        v.MaxLength("address_id", AddressId, 100, "The address id");
        v.MaxLength("description", Description, 4_000, "The description"); // Open311: max 4,000 characters
        v.MaxLength("first_name", FirstName, 100, "The first name");
        v.MaxLength("last_name", LastName, 100, "The last name");
        v.MaxLength("device_id", DeviceId, 200, "The device id");
        v.MaxLength("account_id", AccountId, 200, "The account id");
        if (!string.IsNullOrWhiteSpace(Email) && (Email.Trim().Length > 254 || !MailAddress.TryCreate(Email.Trim(), out var mail) || mail.Address != Email.Trim()))
            v.Add("email", $"'{Email.Trim()}' is not an e-mail address.");
        if (!string.IsNullOrWhiteSpace(Phone) && PhoneNumber.ToE164(Phone) is null)
            v.Add("phone", "This is not a phone number we can call. Write it as +40722123456 or 0722 123 456.");
        foreach (var link in MediaLinks ?? [])
            if (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || link.Length > 2_000)
                v.Add("media_url", $"media_url must be an http or https address; '{Truncate(link)}' is not.");
        if (Attributes is not null)
            foreach (var (code, values) in Attributes)
            {
                if (code.Length > 60) v.Add("attribute", $"'{Truncate(code)}' is not a question of this service.");
                foreach (var value in values) v.MaxLength($"attribute[{Truncate(code)}]", value, 1_000, "An answer");
            }
    }

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "…";
}

public sealed class ReportIncidentHandler(
    UnitOfWork uow, CaseIntake intake, IReportPhotos photos, IOptions<MapOptions> options, MapBoundary boundary,
    Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<ReportIncident, IncidentReport>
{
    /// <summary>The contact's name when a reporter gives none (a word of it is not the reporter's name).</summary>
    public const string NoNameGiven = "Reporter on the map (no name given)";

    private const string IncidentCodes = "SELECT code FROM service_categories WHERE incident = 1 AND active = 1 ORDER BY code";
    private const string InsertLocation = """
        INSERT INTO case_locations (case_id, latitude, longitude, address_string, address_id)
        VALUES (@CaseId, @Latitude, @Longitude, @AddressString, @AddressId)
        """;
    private const string InsertReport = """
        INSERT INTO map_reports (case_id, token, source, app_key_id, device_id, account_id, attributes, media_links,
                                 possible_duplicate_of, public_text, created_at)
        VALUES (@CaseId, @Token, @Source, @AppKeyId, @DeviceId, @AccountId, @Attributes, @MediaLinks,
                @PossibleDuplicateOf, @PublicText, @Now)
        """;
    // Open reports of the same service registered in the last days, inside the box around the point (served by
    // ix_case_locations_lat_lon); the exact distance is then measured on the sphere.
    private const string Nearby = """
        SELECT l.case_id AS CaseId, l.latitude AS Latitude, l.longitude AS Longitude, c.registered_at AS RegisteredAt
        FROM case_locations l JOIN cases c ON c.id = l.case_id
        WHERE l.latitude BETWEEN @South AND @North AND l.longitude BETWEEN @West AND @East
          AND c.category_code = @Service AND c.id <> @CaseId AND c.registered_at >= @Since
          AND c.status IN ('registered', 'assigned', 'in_progress')
        """;

    private sealed record NearbyRow
    {
        public Guid CaseId { get; init; }
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public long RegisteredAt { get; init; }
    }

    public async ValueTask<IncidentReport> Handle(ReportIncident command, CancellationToken ct)
    {
        var o = options.Value;
        var code = command.ServiceCode!.Trim().ToLowerInvariant();
        var service = await CatalogueStore.FindAsync(uow, code, CatalogueLanguages.Default, ct);
        if (service is not { Incident: true, Active: true })
            throw ValidationFailedException.For("service_code",
                $"There is no incident service '{code}' on the map. Services: {string.Join(", ", await uow.QueryAsync<string>(IncidentCodes, null, ct))}.");
        var answers = CheckAnswers(service, command.Attributes);

        if (command.Latitude is { } lat && command.Longitude is { } lon && !boundary.Contains(lat, lon))
            throw ValidationFailedException.For("lat",
                $"The place ({lat.ToString(CultureInfo.InvariantCulture)}, {lon.ToString(CultureInfo.InvariantCulture)}) is outside {boundary.Name}; " +
                "this city hall can only act inside its own territory. Report it to the city hall of that place.");
        if (command.MediaLinks is { } links && links.Count > o.MaxMediaLinks)
            throw ValidationFailedException.For("media_url", $"Give at most {o.MaxMediaLinks} media_url links with one report.");
        if (command.Photos is { } uploads && uploads.Count > o.MaxPhotos)
            throw ValidationFailedException.For("media", $"Send at most {o.MaxPhotos} photos with one report.");

        var (citizen, contact) = await ContactMatch.ResolveAsync(uow, PersonName(command), command.Email, command.Phone,
            NoNameGiven, "no contact given; followed by the public link", ct);
        var where = command.AddressString?.Trim() is { Length: > 0 } address ? $" — {address}" : "";
        var subject = $"{service.Name}{where}";
        if (subject.Length > 300) subject = subject[..299] + "…";

        var c = await intake.RegisterAsync(new RegisterCase(
            CaseKinds.ServiceRequest, Channels.Map, subject, command.Description, citizen, null, contact, Service: code),
            new IntakeDetails(context.Actor), ct);

        await uow.ExecuteAsync(InsertLocation, new
        {
            CaseId = c.Id, command.Latitude, command.Longitude,
            AddressString = Blank(command.AddressString), AddressId = Blank(command.AddressId),
        }, ct);
        var now = clock.GetUtcNow();
        var duplicate = command.Latitude is { } dLat && command.Longitude is { } dLon
            ? await FindPossibleDuplicateAsync(c.Id, code, dLat, dLon, now, ct)
            : null;
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        await uow.ExecuteAsync(InsertReport, new
        {
            CaseId = c.Id, Token = token, command.Source, command.AppKeyId,
            DeviceId = Blank(command.DeviceId), AccountId = Blank(command.AccountId),
            Attributes = JsonSerializer.Serialize(answers),
            MediaLinks = JsonSerializer.Serialize(command.MediaLinks?.Select(l => l.Trim()).ToArray() ?? []),
            PossibleDuplicateOf = duplicate?.CaseId, PublicText = Flag.Of(o.TextPublicAtOnce), Now = now.ToUnixTimeMilliseconds(),
        }, ct);
        if (duplicate is not null)
        {
            var original = await CaseStore.LoadAsync(uow, duplicate.CaseId, ct);
            await CaseStore.RecordAsync(timeline, await CaseStore.LoadAsync(uow, c.Id, ct), "case.possible_duplicate",
                $"Possible duplicate of {original.RegistrationNumber}: the same service within {o.DuplicateRadiusMetres:0} m " +
                $"and {o.DuplicateDays} days ({duplicate.Metres:0} m away); for a dispatcher to decide, not merged",
                new { of = original.Id, number = original.RegistrationNumber, metres = Math.Round(duplicate.Metres, 1) }, ct, Channels.Map);
        }

        var stored = command.Photos is { Count: > 0 } p ? await photos.AddAsync(c.Id, p, o.PhotosPublicAtOnce, ct) : [];
        return new IncidentReport(c.Id, ServiceRequestIds.Of(c.Year, c.Number), token, c.RegistrationNumber, c.Year, c.Number,
            c.RegisteredOn, c.DueOn, duplicate?.CaseId, stored, o.TextPublicAtOnce);
    }

    private sealed record Duplicate(Guid CaseId, double Metres);

    private async Task<Duplicate?> FindPossibleDuplicateAsync(Guid caseId, string service, double lat, double lon, DateTimeOffset now, CancellationToken ct)
    {
        var o = options.Value;
        var box = GeoDistance.BoxAround(lat, lon, o.DuplicateRadiusMetres);
        var rows = await uow.QueryAsync<NearbyRow>(Nearby, new
        {
            box.South, box.North, box.West, box.East, Service = service, CaseId = caseId,
            Since = now.AddDays(-o.DuplicateDays).ToUnixTimeMilliseconds(),
        }, ct);
        return rows
            .Select(r => new Duplicate(r.CaseId, GeoDistance.Metres(lat, lon, r.Latitude, r.Longitude)))
            .Where(d => d.Metres <= o.DuplicateRadiusMetres)
            .OrderBy(d => d.Metres)
            .FirstOrDefault();
    }

    /// <summary>The answers to the service's questions, checked as its Open311 definition says (required, datatype, list keys).</summary>
    private static Dictionary<string, string[]> CheckAnswers(CatalogueService service, IReadOnlyDictionary<string, IReadOnlyList<string>>? given)
    {
        var questions = service.Attributes;
        var v = new Validation();
        var answers = new Dictionary<string, string[]>(StringComparer.Ordinal);
        given ??= new Dictionary<string, IReadOnlyList<string>>();
        foreach (var code in given.Keys.Where(k => questions.All(q => q.Code != k)))
            v.Add($"attribute[{code}]", $"The service '{service.Code}' asks no question '{code}'. Its questions: {(questions.Count == 0 ? "none" : string.Join(", ", questions.Select(q => q.Code)))}.");
        foreach (var q in questions)
        {
            var field = $"attribute[{q.Code}]";
            var values = given.TryGetValue(q.Code, out var vs) ? vs.Select(x => x.Trim()).Where(x => x.Length > 0).ToArray() : [];
            if (values.Length == 0)
            {
                if (q.Required) v.Add(field, $"Answer the question '{q.Description}' ({q.Code}).");
                continue;
            }
            if (values.Length > 1 && q.Datatype != AttributeDatatypes.MultiValueList)
                v.Add(field, $"Give one answer to '{q.Description}'.");
            else if (AttributeDatatypes.IsList(q.Datatype) && values.FirstOrDefault(x => q.Values.All(k => k.Key != x)) is { } wrong)
                v.Add(field, $"'{wrong}' is not one of the answers to '{q.Description}': {string.Join(", ", q.Values.Select(k => k.Key))}.");
            else if (q.Datatype == "number" && !double.TryParse(values[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                v.Add(field, $"The answer to '{q.Description}' is a number, like 3 or 2.5.");
            else if (q.Datatype == "datetime" && !DateTimeOffset.TryParse(values[0], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                v.Add(field, $"The answer to '{q.Description}' is a date and time in ISO 8601, like 2026-12-02T10:30:00+02:00.");
            answers[q.Code] = values;
        }
        v.ThrowIfInvalid();
        return answers;
    }

    private static string? PersonName(ReportIncident c) =>
        string.Join(' ', new[] { c.FirstName, c.LastName }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim())) is { Length: > 0 } n ? n : null;

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>
/// Open311 ids are strings. A report's id is its registration in the general register, year first, with a dash:
/// "2026-154" is registration 154/2026 (a slash would not survive in requests/{id}.json).
/// </summary>
public static class ServiceRequestIds
{
    public static string Of(int year, int number) => $"{year}-{number}";

    public static bool TryParse(string? id, out int year, out int number)
    {
        year = number = 0;
        var parts = id?.Trim().Split('-');
        return parts is { Length: 2 }
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out year) && year is >= 2000 and <= 9999
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out number) && number > 0;
    }
}

/// <summary>Distances on the WGS84 sphere, enough for "within 50 m" (the haversine formula; error far below a metre at this scale).</summary>
public static class GeoDistance
{
    private const double EarthRadiusMetres = 6_371_008.8; // the mean radius (IUGG)

    public sealed record Box(double South, double North, double West, double East);

    public static double Metres(double lat1, double lon1, double lat2, double lon2)
    {
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(lat2 - lat1);
        var dLon = Rad(lon2 - lon1);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>A box that holds every point within <paramref name="metres"/> of the given one (a little larger, never smaller).</summary>
    public static Box BoxAround(double lat, double lon, double metres)
    {
        var dLat = metres / EarthRadiusMetres * 180 / Math.PI * 1.01;
        var dLon = dLat / Math.Max(0.01, Math.Cos(lat * Math.PI / 180));
        return new Box(lat - dLat, lat + dLat, lon - dLon, lon + dLon);
    }
}
