using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// registrations: N clerks (each signed in as their own account) register petitions at the desk at once, through
/// POST /api/cases with an Idempotency-Key. Afterwards the numbers are checked gapless: every number the counter moved
/// over during the run belongs to exactly one case in the database (read read-only) and was answered to exactly one
/// clerk. The baseline is the append rate (POST interactions) at the same concurrency, in the same run.
/// </summary>
public static class RegistrationsBench
{
    public const string Usage = "registrations [--clerks 100] [--data FOLDER]   petitions registered at once, numbers checked gapless; baseline the append rate";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var clerks = options.Levels("clerks", 100);
        await using var run = await BenchRun.StartAsync(options, 10);
        var report = new Report(options, "Registrations: clerks registering petitions at once, numbers gapless");
        var citizens = run.Citizens(1000);
        if (citizens.Count == 0) throw new BenchException("The data folder has no citizens: give --data with a demo city.");
        var appends = await AppendWriter.CreateAsync(run);
        var sessions = await run.Api.StaffAsync(run.Admin, "bench-registrar", "clerk", clerks.Max());
        var bodies = citizens.Select(c => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            kind = "petition", channel = "desk", subject = "Cerere privind iluminatul public pe strada Mihai Viteazul (load benchmark)", citizenId = c.Id,
        }))).ToArray();

        foreach (var count in clerks)
        {
            var health = await run.BaselineAsync(count);
            report.Add(health);
            var appendRate = await run.LevelAsync("POST interaction (baseline)", count, appends.Worker);
            report.Add(appendRate);
            var before = Counters(run);
            var numbers = new ConcurrentBag<(string Register, int Year, int Number)>();
            var answered = 0;
            var measured = await run.LevelAsync("POST /api/cases (petition)", count, async (worker, recorder, window) =>
            {
                var n = 0;
                var prefix = Guid.NewGuid().ToString("N")[..8];
                while (window.Running)
                {
                    n++;
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases");
                        request.Headers.Authorization = sessions[worker];
                        request.Headers.TryAddWithoutValidation("Idempotency-Key", string.Create(CultureInfo.InvariantCulture, $"bench-reg-{prefix}-{n}"));
                        request.Content = new ByteArrayContent(bodies[(worker * 31 + n) % bodies.Length]);
                        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                        using var response = await run.Client.SendAsync(request);
                        var body = await response.Content.ReadAsByteArrayAsync();
                        var end = Stopwatch.GetTimestamp();
                        if (response.StatusCode != HttpStatusCode.Created)
                        {
                            recorder.Error(start, end, "HTTP " + (int)response.StatusCode);
                            continue;
                        }
                        recorder.Ok(start, end);
                        Interlocked.Increment(ref answered);
                        using var json = JsonDocument.Parse(body);
                        numbers.Add((json.RootElement.GetProperty("register").GetString()!, json.RootElement.GetProperty("year").GetInt32(),
                            json.RootElement.GetProperty("number").GetInt32()));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        recorder.Error(start, Stopwatch.GetTimestamp(), ex.GetType().Name);
                    }
                }
            });
            report.Add(measured);
            var check = CheckGapless(run, before, numbers.ToList(), answered);
            report.Figure($"petitions registered/s by {count} clerks", Report.F(measured.Rate, "F0"),
                Report.F(appendRate.Rate, "F0") + $" appends/s at {count} writers", Report.Ratio(measured.Rate, appendRate.Rate), measured, "≥ 0.5×");
            report.Figure($"p99 registration, {count} clerks", Report.F(measured.P99, "F1") + " ms (p50 " + Report.F(measured.P50, "F1") + ")",
                Report.F(appendRate.P99, "F1") + " ms (append p99)", Report.Ratio(measured.P99, appendRate.P99), measured);
            report.ServerCost($"server CPU per registration, {count} clerks", measured, health);
            report.Figure($"numbers gapless, {count} clerks", check, "—", "—", null, "gapless");
            report.Figure($"registrations/s vs /health/live, {count} clerks", Report.F(measured.Rate, "F0"), Report.F(health.Rate, "F0") + " (/health/live)",
                Report.Ratio(measured.Rate, health.Rate), measured);
        }
        report.Note("Gapless: for each register and year, the counter's values from before to after the run are exactly the numbers of the cases " +
                    "registered during it (read from the database, read-only), each answered to one clerk; errors are any answer but 201.");
        report.Print(run.Settings);
        return 0;
    }

    private static Dictionary<(string, int), int> Counters(BenchRun run)
    {
        using var db = run.OpenDatabaseReadOnly();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT register_code, year, value FROM registration_counters";
        using var reader = command.ExecuteReader();
        var counters = new Dictionary<(string, int), int>();
        while (reader.Read()) counters[(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt32(2);
        return counters;
    }

    /// <summary>"yes: 1,234 numbers 5/2026 … 1,238/2026" or what is wrong.</summary>
    private static string CheckGapless(BenchRun run, Dictionary<(string, int), int> before, List<(string Register, int Year, int Number)> answered, int answers)
    {
        var after = Counters(run);
        var problems = new List<string>();
        var summary = new List<string>();
        using var db = run.OpenDatabaseReadOnly();
        foreach (var ((register, year), value) in after)
        {
            var from = before.GetValueOrDefault((register, year)) + 1;
            if (value < from) continue;
            using var command = db.CreateCommand();
            command.CommandText = "SELECT number FROM cases WHERE register_code = $r AND year = $y AND number >= $from ORDER BY number";
            command.Parameters.AddWithValue("$r", register);
            command.Parameters.AddWithValue("$y", year);
            command.Parameters.AddWithValue("$from", from);
            var inDatabase = new List<int>();
            using (var reader = command.ExecuteReader())
                while (reader.Read()) inDatabase.Add(reader.GetInt32(0));
            var expected = Enumerable.Range(from, value - from + 1).ToList();
            var given = answered.Where(a => a.Register == register && a.Year == year).Select(a => a.Number).OrderBy(n => n).ToList();
            if (!inDatabase.SequenceEqual(expected))
                problems.Add($"{register} {year}: the database holds {inDatabase.Count} cases numbered {from}…{value}, {expected.Count} expected " +
                             $"(missing {expected.Except(inDatabase).Count()}, duplicates {inDatabase.Count - inDatabase.Distinct().Count()})");
            if (!given.SequenceEqual(expected))
                problems.Add($"{register} {year}: the clerks were given {given.Count} numbers ({given.Distinct().Count()} distinct) for {expected.Count} the counter moved over");
            summary.Add($"{expected.Count:N0} numbers {from}/{year} … {value}/{year} ({register})");
        }
        if (answered.Count != answers) problems.Add($"{answers} answers but {answered.Count} numbers read");
        return problems.Count == 0 ? "yes: " + string.Join("; ", summary) : "NO: " + string.Join("; ", problems);
    }
}
