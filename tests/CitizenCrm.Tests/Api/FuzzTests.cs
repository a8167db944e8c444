using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Staff;
using CitizenCrm.Tests.Infrastructure;
using CitizenCrm.Tests.Phone;
using CitizenCrm.Tests.Staff;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CitizenCrm.Tests.Api;

/// <summary>
/// A hostile client: malformed JSON, forms and multipart bodies, huge and control-character inputs in bodies, queries and
/// paths, sent to every endpoint of /openapi/v1.json and every Twilio route, with Twilio signature checking on and off.
/// Whatever comes in: never a 5xx; on the phone, TwiML (application/xml, a &lt;Response&gt; root) unless it is a 403; and a
/// request refused with a 4xx leaves every table as it was. Inputs come from a fixed seed, so a failure repeats.
/// </summary>
[Category("Fuzz")]
public sealed class FuzzTests
{
    private const int Seed = 2026;

    /// <summary>Twilio's routes, from TwilioWebhooks.MapTwilioWebhooks: each takes POST and GET.</summary>
    private static readonly string[] TwilioRoutes = ["incoming", "turn", "wait", "status", "fallback", "operator", "bridged"];

    private static readonly string[] NastyStrings =
    [
        "\u0000", "a\u0000b", "\u001b[31mred\u001b[0m\u001b[2J", "\r\n\t\f\v", "\u007f\u0085\u2028\u2029", "\u202Eevil\u202C", "\uFFFE\uFFFF",
        "'; DROP TABLE citizens; --", "../../../../etc/passwd", "%00%0d%0a", "<Response><Hangup/></Response>", "{{variable}}", "",  " ",
        "0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999+14:00", "-1", "NaN", "1e309", "2147483648",
        "00000000-0000-0000-0000-000000000000", "1850301011234", "+40745123987", "ăîșțâ ĂÎȘȚÂ őű", "😀\u200d👩", new string('A', 70_000),
    ];

    private static readonly string[] NastyJsonValues =
    [
        "null", "true", "-1", "0", "2147483648", "-9223372036854775809", "1e308", "0.5", "[]", "{}", "[[[[[]]]]]", "{\"a\":{\"b\":{\"c\":[]}}}",
        "\"\\u0000\"", "\"\\ud800\"", "\"\\u001b[2J\"",
    ];

    private static readonly string[] MalformedJson =
    [
        "{", "{\"a\":", "[1,2", "{\"a\" 1}", "{'a':1}", "\u0000", "nul", "{\"a\":1}}", "{\"a\":\"\u0001\"}", "\"unterminated", "{\"a\":01}",
        "{\"a\":1,}", "\uFEFF\uFEFF{}", "{\"a\":NaN}",
    ];

    private readonly List<string> _failures = [];
    private readonly HashSet<string> _exercised = [];
    private CrmTestApp _app = null!;
    private System.Data.Common.DbConnection _db = null!;
    private Random _random = null!;
    private Dictionary<string, string> _who = null!;
    private readonly Dictionary<string, HttpClient> _clients = [];
    private JsonElement _document;
    private int _requests;

    [TearDown]
    public void CloseDatabase() => _db?.Dispose();

    [TestCase(true, TestName = "Fuzz: every endpoint, Twilio signatures checked")]
    [TestCase(false, TestName = "Fuzz: every endpoint, Twilio signatures not checked")]
    public async Task Malformed_huge_and_control_character_input_never_gets_a_5xx_nor_changes_a_table_when_refused(bool checkSignatures)
    {
        var settings = TwilioPhone.Settings(new() { ["Phone:SkipSignatureValidation"] = checkSignatures ? "false" : "true" });
        using var app = _app = new CrmTestApp(settings: settings, clock: new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero)));
        _random = new Random(Seed);
        _failures.Clear(); // NUnit runs both cases on one instance of the fixture
        _exercised.Clear();
        _clients.Clear();
        _requests = 0;
        _who = AccessTests.WhoMayCallByOperation();
        foreach (var role in new[] { StaffRole.Clerk, StaffRole.Dispatcher, StaffRole.Supervisor, StaffRole.Admin })
            _clients[role.ToText()] = await _app.ClientFor(role);
        _clients["anyone"] = _app.CreateClient();
        // The console's sign-in reads its body only when the console's anti-forgery header is there.
        _clients["console"] = _app.CreateClient();
        _clients["console"].DefaultRequestHeaders.Add("X-CitizenCRM-Console", "1");

        // Something for the ids to point at: a citizen with a case.
        var citizen = await _clients["clerk"].RegisterCitizen(phone: "0745 000 111");
        var petition = await (await _clients["clerk"].PostAsJsonAsync("/api/cases",
            new { kind = "petition", channel = "desk", subject = "Groapă", citizenId = citizen.Id })).ReadJson<CaseDetails>();
        var ids = new Dictionary<string, string>(AccessTests.AnyIds)
        {
            ["id"] = citizen.Id.ToString(), ["caseId"] = petition.Id.ToString(), ["number"] = petition.Number.ToString(CultureInfo.InvariantCulture),
        };

        _document = await ApiDocument.ReadAsync(_app);
        var operations = await ApiDocument.OperationsAsync(_app);
        var twilio = TwilioRoutes.SelectMany(r => new[] { $"POST /twilio/voice/{r}", $"GET /twilio/voice/{r}" }).ToList();
        _db = _app.OpenDatabase();
        foreach (var operation in operations.Where(o => !o.Contains(" /twilio/", StringComparison.Ordinal)))
            await FuzzApiAsync(operation, ids);
        foreach (var operation in twilio.Union(operations.Where(o => o.Contains(" /twilio/", StringComparison.Ordinal))))
            await FuzzTwilioAsync(operation, checkSignatures);

        foreach (var role in new[] { "clerk", "dispatcher", "supervisor", "admin" })
            Assert.That((int)(await _clients[role].GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(200), $"the {role}'s session must last the whole run, or the fuzz stops at 401");
        TestContext.Out.WriteLine($"{_requests} requests, {_failures.Count} failures");
        foreach (var failure in _failures) TestContext.Out.WriteLine("FUZZ FAILURE: " + failure);
        Assert.That(operations.Union(twilio).Except(_exercised), Is.Empty, "endpoints the fuzzer did not exercise");
        Assert.That(_failures, Is.Empty);
    }

    // ---- the API ----

    private async Task FuzzApiAsync(string operation, Dictionary<string, string> ids)
    {
        var method = operation[..operation.IndexOf(' ')];
        var template = operation[(method.Length + 1)..];
        var who = _who.TryGetValue(operation, out var w) ? w : "admin";
        var client = operation == "POST /api/auth/sign-out"
            ? _app.WithToken(await _app.SignIn("test-clerk", CrmTestApp.Password)) // its own session: signing out ends it
            : _clients[who switch { "anyone" => "anyone", "signed in" => "clerk", "the console's header" => "console", _ => who.Split(", ")[0] }];
        var path = ApiDocument.Fill(template, ids);
        var fields = BodyFields(method, template);
        var queryNames = QueryNames(method, template);

        // Paths and queries: nasty values in every placeholder and every query parameter.
        // (The test host refuses a path with %00 before it is sent; Kestrel answers such a request 400 by itself.)
        var nasty = Pick(NastyStrings.Where(v => !v.Contains('\u0000')).ToArray());
        foreach (var bad in new[] { "%1b%5b2J", "..%2F..%2Fetc", new string('9', 40), "-1", Uri.EscapeDataString(nasty), NextGuid().ToString() })
            await SendAsync(client, operation, method, System.Text.RegularExpressions.Regex.Replace(template, @"\{\w+\}", bad), JsonBody(fields), "path " + Short(bad));
        var queryValues = new[] { "0001-01-01", "9999-12-31", "%00", "%1b%5b2J", new string('7', 5000) }
            .Concat(Enumerable.Range(0, 4).Select(_ => Uri.EscapeDataString(Pick(NastyStrings))));
        foreach (var value in queryValues)
        {
            var query = string.Join("&", queryNames.Select(q => $"{q}={value}").Append("x=%00"));
            await SendAsync(client, operation, method, path + "?" + query, JsonBody(fields), "query " + Short(query));
        }
        foreach (var name in queryNames)
            foreach (var value in new[] { "0001-01-01", "9999-12-31", "-9223372036854775808", "abc" })
                await SendAsync(client, operation, method, $"{path}?{name}={value}", JsonBody(fields), $"query {name}={value}");
        await SendAsync(_clients["anyone"], operation, method, path, JsonBody(fields), "no token");

        if (method is "GET") return;
        // Bodies: nasty field values, malformed JSON, deep nesting, too large, forms, multipart, CSV, no or wrong content type.
        for (var i = 0; i < 6; i++)
            await SendAsync(client, operation, method, path, JsonBody(fields), "json fields");
        foreach (var text in MalformedJson.OrderBy(_ => _random.Next()).Take(4))
            await SendAsync(client, operation, method, path, () => Content(text, "application/json"), "malformed json " + Short(text));
        await SendAsync(client, operation, method, path, () => Content(new string('[', 5000) + new string(']', 5000), "application/json"), "json nested 5000 deep");
        await SendAsync(client, operation, method, path, () => Content("{\"a\":\"" + new string('x', 1_200_000) + "\"}", "application/json"), "json 1.2 MB");
        await SendAsync(client, operation, method, path, () => Content("{\"a\":1}", "application/json; charset=utf-16"), "json charset utf-16");
        await SendAsync(client, operation, method, path, () => Bytes([0xff, 0xfe, 0x7b, 0x00, 0xc3, 0x28, 0x7d], "application/json"), "json invalid utf-8");
        foreach (var (name, body) in Forms())
            await SendAsync(client, operation, method, path, body, name);
        await SendAsync(client, operation, method, path, () => Content("national_id,amount\n\u0000\u001b[2J,1e309\n", "text/csv"), "csv control characters");
        await SendAsync(client, operation, method, path, () => Bytes([0xff, 0xfe, 0x00, 0x41, 0x0a], "text/csv"), "csv invalid utf-8");
        await SendAsync(client, operation, method, path, () => Bytes(Encoding.UTF8.GetBytes("%PDF-1.4 \u0000"), null), "no content type");
        await SendAsync(client, operation, method, path, () => Content("<a>&xxe;</a>", "application/xml"), "xml body");
    }

    private IEnumerable<(string Name, Func<HttpContent> Body)> Forms()
    {
        yield return ("form %00 and control characters", () => Content("a=%00&b=%1b%5b2J&c=" + new string('z', 5000), "application/x-www-form-urlencoded"));
        yield return ("form 1100 fields", () => Content(string.Join("&", Enumerable.Range(0, 1100).Select(i => $"f{i}=1")), "application/x-www-form-urlencoded"));
        yield return ("form key of 3000 characters", () => Content(new string('k', 3000) + "=1", "application/x-www-form-urlencoded"));
        yield return ("multipart header, body not multipart", () => Content("just text, no boundary in sight", "multipart/form-data; boundary=XyZ"));
        yield return ("multipart without boundary", () => Content("--x\r\n\r\n", "multipart/form-data"));
        yield return ("multipart cut off", () => Content("--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nabc", "multipart/form-data; boundary=B"));
        yield return ("multipart file with control characters", () => Content(
            "--B0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\u0000evil\u001b.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
            "\u0000\u001b[2J;;;\n" + Pick(NastyStrings) + "\r\n--B0\r\nContent-Disposition: form-data; name=\"" + new string('n', 3000) + "\"\r\n\r\n" +
            Pick(NastyStrings) + "\r\n--B0--\r\n", "multipart/form-data; boundary=B0"));
    }

    // ---- Twilio ----

    private async Task FuzzTwilioAsync(string operation, bool checkSignatures)
    {
        var method = operation[..operation.IndexOf(' ')];
        var path = operation[(method.Length + 1)..];
        var anyone = _clients["anyone"];
        for (var i = 0; i < 8; i++)
        {
            var form = TwilioForm();
            var query = _random.Next(3) switch { 0 => "", 1 => "?turn=" + Uri.EscapeDataString(Pick(NastyStrings)), _ => "?turn=3&lang=" + Uri.EscapeDataString(Pick(NastyStrings)) };
            var signed = i % 2 == 0;
            if (method == "GET")
            {
                var url = path + "?" + string.Join("&", form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
                await SendTwilioAsync(anyone, operation, method, url, null, signed ? Sign(url, []) : "bad", $"GET query fields (signed: {signed})");
            }
            else
                await SendTwilioAsync(anyone, operation, method, path + query, () => new FormUrlEncodedContent(form),
                    signed ? Sign(path + query, form) : "bad", $"form fields{Short(query)} (signed: {signed})");
        }
        if (method == "GET")
        {
            var huge = path + "?From=" + new string('4', 20_000) + "&CallSid=%00";
            await SendTwilioAsync(anyone, operation, method, huge, null, Sign(huge, []), "GET huge query (signed)");
            await SendTwilioAsync(anyone, operation, method, huge, null, null, "GET huge query (no signature)");
            return;
        }
        foreach (var (name, body) in Forms())
        {
            await SendTwilioAsync(anyone, operation, method, path, body, "bad", name + " (bad signature)");
            await SendTwilioAsync(anyone, operation, method, path, body, null, name + " (no signature)");
        }
        await SendTwilioAsync(anyone, operation, method, path, () => Content("CallSid=CA1&Digits=" + new string('1', 1_200_000), "application/x-www-form-urlencoded"), "bad", "form 1.2 MB (bad signature)");
        await SendTwilioAsync(anyone, operation, method, path, () => Content("{\"CallSid\":\"CA1\"}", "application/json"), "bad", "json body (bad signature)");
        if (!checkSignatures)
            foreach (var (name, body) in Forms())
                await SendTwilioAsync(anyone, operation, method, path, body, null, name + " (signatures off)");
    }

    private Dictionary<string, string> TwilioForm()
    {
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = _random.Next(3) == 0 ? Pick(NastyStrings) : "CA" + NextGuid().ToString("N"),
            ["AccountSid"] = "AC11111111111111111111111111111111",
            ["From"] = _random.Next(2) == 0 ? Pick(NastyStrings) : "+40721234567",
            ["CallStatus"] = _random.Next(2) == 0 ? "completed" : Pick(NastyStrings),
        };
        foreach (var key in new[] { "Digits", "SpeechResult", "QueueTime", "QueueResult", "CallDuration", "RecordingUrl", "RecordingDuration", "Confidence" })
            if (_random.Next(2) == 0) form[key] = Pick(NastyStrings);
        return form;
    }

    private static string Sign(string localPathAndQuery, IEnumerable<KeyValuePair<string, string>> form) =>
        CitizenCrm.Ivr.TwilioSignature.Compute(TwilioPhone.AuthToken, TwilioPhone.PublicBaseUrl + localPathAndQuery, form);

    private async Task SendTwilioAsync(HttpClient client, string operation, string method, string url, Func<HttpContent>? body, string? signature, string input)
    {
        _exercised.Add(operation);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null) request.Content = body();
        if (signature is not null) request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature);
        var (status, before, after, response, text) = await ExchangeAsync(client, request);
        if (status >= 500) _failures.Add($"{operation} | {input} | {status} (5xx)");
        else if (status != 403)
        {
            var type = response.Content.Headers.ContentType?.MediaType;
            var root = TryParseXml(text)?.Root?.Name.LocalName;
            if (status != 200 || type != "application/xml" || root != "Response")
                _failures.Add($"{operation} | {input} | {status} {type}, root <{root}> (not TwiML)");
        }
        if (status is >= 400 and < 500 && Diff(before, after).ToList() is { Count: > 0 } changed)
            _failures.Add($"{operation} | {input} | {status} changed tables: {string.Join(", ", changed)}");
    }

    // ---- sending and checking ----

    private async Task SendAsync(HttpClient client, string operation, string method, string url, Func<HttpContent>? body, string input)
    {
        _exercised.Add(operation);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null && method is not "GET") request.Content = body();
        var (status, before, after, _, _) = await ExchangeAsync(client, request);
        if (status >= 500) _failures.Add($"{operation} | {input} | {status} (5xx)");
        if (status is >= 400 and < 500)
        {
            // A refused sign-in is counted for throttling (login_failures): that write is the point of it.
            var allowed = operation is "POST /api/auth/sign-in" or "POST /api/auth/console/sign-in" ? new[] { "login_failures" } : [];
            var changed = Diff(before, after).Except(allowed).ToList();
            if (changed.Count > 0) _failures.Add($"{operation} | {input} | {status} changed tables: {string.Join(", ", changed)}");
        }
    }

    private async Task<(int Status, Dictionary<string, string> Before, Dictionary<string, string> After, HttpResponseMessage Response, string Text)> ExchangeAsync(
        HttpClient client, HttpRequestMessage request)
    {
        _requests++;
        var before = Checksums();
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var after = Checksums();
        return ((int)response.StatusCode, before, after, response, text);
    }

    private static IEnumerable<string> Diff(Dictionary<string, string> before, Dictionary<string, string> after) =>
        before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t));

    private List<string>? _tables;

    /// <summary>
    /// A SHA-256 of every row of every user table (from sqlite_master, read once), per table. Quartz's tables are left out:
    /// a clustered scheduler (on a server database) writes its check-in there by itself every few seconds.
    /// </summary>
    private Dictionary<string, string> Checksums()
    {
        if (_tables is null)
        {
            _tables = [];
            using var list = _db.CreateCommand();
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND lower(name) NOT LIKE 'qrtz_%' ORDER BY name";
            using var reader = list.ExecuteReader();
            while (reader.Read()) _tables.Add(reader.GetString(0));
        }
        var sums = new Dictionary<string, string>();
        foreach (var table in _tables)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var select = _db.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
                for (var i = 0; i < reader.FieldCount; i++)
                    hash.AppendData(Encoding.UTF8.GetBytes(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) + "\u001f"));
            sums[table] = Convert.ToHexString(hash.GetHashAndReset());
        }
        return sums;
    }

    private static XDocument? TryParseXml(string text)
    {
        try { return XDocument.Parse(text); }
        catch (System.Xml.XmlException) { return null; }
    }

    private Func<HttpContent> JsonBody(List<string> fields) => () =>
    {
        var names = fields.Count > 0 ? fields : ["value"];
        var parts = names.Select(f => $"{JsonSerializer.Serialize(f)}:{(_random.Next(3) == 0 ? Pick(NastyJsonValues) : JsonSerializer.Serialize(Pick(NastyStrings)))}");
        return Content("{" + string.Join(",", parts) + "}", "application/json");
    };

    /// <summary>The property names of the operation's JSON body schema in the document, if it has one.</summary>
    private List<string> BodyFields(string method, string template)
    {
        var operation = _document.GetProperty("paths").GetProperty(template).GetProperty(method.ToLowerInvariant());
        if (!operation.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out var json)) return [];
        var schema = json.GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
            schema = _document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        return schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject().Select(p => p.Name).ToList() : [];
    }

    private List<string> QueryNames(string method, string template)
    {
        var operation = _document.GetProperty("paths").GetProperty(template).GetProperty(method.ToLowerInvariant());
        return operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!).ToList()
            : [];
    }

    private string Pick(string[] values) => values[_random.Next(values.Length)];

    private Guid NextGuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        return new Guid(bytes);
    }

    private static HttpContent Content(string text, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }

    private static HttpContent Bytes(byte[] bytes, string? contentType)
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static string Short(string text) => text.Length <= 60 ? Escape(text) : Escape(text[..60]) + $"…({text.Length} chars)";

    private static string Escape(string text) => string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
