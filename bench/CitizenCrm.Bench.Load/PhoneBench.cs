using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace CitizenCrm.Bench.Load;

/// <summary>
/// phone: whole scripted calls through the real, signed Twilio webhooks. Each of N concurrent callers places calls back to
/// back (no pauses for speech: the server's work per turn is what is measured). A call: the greeting (1 = Romanian), the
/// CNP and #, the PIN, a menu choice (taxes, fines, or the petitions menu and the list of one's cases), "2" for the
/// survey, a rating of 1–5, the robot's goodbye and hang-up, then Twilio's status callback (completed). Every answer's
/// TwiML is read to check the call went as a caller expects (the question asked is the one the script answers); a call
/// that goes elsewhere (an apology, a refused PIN) is an error.
/// </summary>
public static class PhoneBench
{
    public const string Usage = "phone [--calls 50,200,500] [--data FOLDER]   whole signed phone calls; baseline GET /health/live";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var levels = options.Levels("calls", 50, 200, 500);
        await using var run = await BenchRun.StartAsync(options, 10);
        var report = new Report(options, "Phone: whole scripted calls through the signed Twilio webhooks");

        var callers = await PrepareCallersAsync(run, levels.Max());
        var phone = new PhoneCalls(run.Client, run.Server.AuthToken, run.Server.BaseUrl, callers);
        foreach (var calls in levels)
        {
            var baseline = await run.BaselineAsync(calls);
            report.Add(baseline);
            phone.ResetCounts();
            // Measured once half the callers have finished a call: from then on every step of a call is in the mix.
            var measured = await run.LevelAsync("phone turn", calls, phone.Worker, () => phone.CallsEnded >= (calls + 1) / 2);
            report.Add(measured);
            report.Figure($"turns/s at {calls} calls", Report.F(measured.Rate, "F0"), Report.F(baseline.Rate, "F0") + " (/health/live)",
                Report.Ratio(measured.Rate, baseline.Rate), measured, calls == 50 ? "≥ 0.6×" : "");
            report.Figure($"p99 turn at {calls} calls", Report.F(measured.P99, "F1") + " ms (p50 " + Report.F(measured.P50, "F1") + ")",
                Report.F(baseline.P99, "F1") + " ms (p50 " + Report.F(baseline.P50, "F1") + ")", Report.Ratio(measured.P99, baseline.P99), measured,
                calls is 50 or 200 ? "≤ 2×" : "");
            report.Figure($"errors at {calls} calls", $"{measured.Errors} of {measured.Requests + measured.Errors} turns" +
                (measured.Errors > 0 ? $" ({measured.ErrorSummary})" : "") + $"; {phone.CallsCompleted} calls completed",
                $"{baseline.Errors}", "—", measured, calls == 500 ? "0" : "");
            report.ServerCost($"server CPU per turn at {calls} calls", measured, baseline);
            report.Note($"Mean time per step at {calls} calls: {phone.StepSummary()}.");
            report.Figure($"server RSS peak at {calls} calls", Report.F(measured.ServerPeakMb, "F0") + " MB", "—", "—", null,
                calls == 500 ? "≤ 250 MB" : "");
        }
        report.Note("A turn is one webhook request of a call (the status callback included); latency is the HTTP round trip of one turn. " +
                    "The RSS peak is the server's VmHWM during the measured seconds of that level (reset at the level's start).");
        report.Print(run.Settings);
        return 0;
    }

    /// <summary>Citizens of the data folder with a fresh phone PIN each, issued by a clerk through the API. Never printed.</summary>
    private static async Task<PhoneCalls.Caller[]> PrepareCallersAsync(BenchRun run, int count)
    {
        var citizens = run.Citizens(count);
        if (citizens.Count == 0)
            throw new BenchException("The data folder has no citizens to call as: give --data with a demo city.");
        var clerk = await run.Api.StaffAsync(run.Admin, "bench-clerk-" + Guid.NewGuid().ToString("N")[..6], "clerk");
        var watch = Stopwatch.StartNew();
        var callers = new PhoneCalls.Caller[citizens.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, citizens.Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            callers[i] = new PhoneCalls.Caller(citizens[i].NationalId, await run.Api.IssuePinAsync(clerk, citizens[i].Id),
                "+4072" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture)));
        Console.Error.WriteLine($"  {callers.Length} callers with a fresh PIN in {watch.Elapsed.TotalSeconds:F1} s");
        return callers;
    }
}

/// <summary>The callers' side of Twilio: signed form posts, TwiML read back.</summary>
public sealed class PhoneCalls(HttpClient client, string authToken, string baseUrl, PhoneCalls.Caller[] callers)
{
    public sealed record Caller(string Cnp, string Pin, string From);

    private readonly byte[] key = Encoding.UTF8.GetBytes(authToken);
    private readonly string incomingUrl = baseUrl + "/twilio/voice/incoming";
    private readonly string statusUrl = baseUrl + "/twilio/voice/status";
    private static readonly MediaTypeHeaderValue FormType = new("application/x-www-form-urlencoded");
    private int callsCompleted;
    private int callsEnded;
    private readonly long[] stepTicks = new long[StepNames.Length];
    private readonly long[] stepCounts = new long[StepNames.Length];

    /// <summary>The webhook requests of a call, in order, for the mean time per step (where a turn's time goes).</summary>
    public static readonly string[] StepNames =
        ["incoming (greeting)", "language → ask CNP", "CNP → ask PIN", "PIN → main menu", "menu choice → answer", "petitions menu → list", "after answer → survey", "rating → goodbye", "status callback"];

    public int CallsCompleted => callsCompleted;
    /// <summary>Calls that reached their end (measured or not) since the level started.</summary>
    public int CallsEnded => Volatile.Read(ref callsEnded);

    public void ResetCounts()
    {
        callsCompleted = 0;
        callsEnded = 0;
        Array.Clear(stepTicks);
        Array.Clear(stepCounts);
    }

    /// <summary>"step: mean ms (count)" per step, over the measured seconds of the last level.</summary>
    public string StepSummary() => string.Join("; ", StepNames.Select((name, i) => stepCounts[i] == 0 ? null
        : string.Create(CultureInfo.InvariantCulture, $"{name} {LoadLevel.Ms(stepTicks[i]) / stepCounts[i]:F1} ms")).Where(s => s is not null));

    private void Step(Window window, int step, long t0, long t1)
    {
        if (t1 < window.From || t1 > window.To) return;
        Interlocked.Add(ref stepTicks[step], t1 - t0);
        Interlocked.Increment(ref stepCounts[step]);
    }

    /// <summary>What the robot asks, told by its Gather: one key, the CNP (ends on #), four digits, or the end.</summary>
    private enum Asked { OneKey, Cnp, Pin, HangUp, Other }

    public async Task Worker(int worker, Recorder recorder, Window window)
    {
        var caller = callers[worker % callers.Length];
        var form = new StringBuilder(512);
        var signed = new StringBuilder(512);
        var call = 0;
        while (window.Running)
        {
            call++;
            var sid = "CA" + Guid.NewGuid().ToString("N");
            var menu = ((worker + call) % 3) switch { 0 => "1", 1 => "2", _ => "3" };
            var rating = ((worker + call) % 5 + 1).ToString(CultureInfo.InvariantCulture);
            // The caller's script: what they press at each question, and what the question must be.
            (Asked Expect, string Keys)[] script = menu == "3"
                ? [(Asked.OneKey, "1"), (Asked.Cnp, caller.Cnp), (Asked.Pin, caller.Pin), (Asked.OneKey, "3"), (Asked.OneKey, "2"), (Asked.OneKey, "2"), (Asked.OneKey, rating)]
                : [(Asked.OneKey, "1"), (Asked.Cnp, caller.Cnp), (Asked.Pin, caller.Pin), (Asked.OneKey, menu), (Asked.OneKey, "2"), (Asked.OneKey, rating)];
            var started = Stopwatch.GetTimestamp();
            var url = incomingUrl;
            string? digits = null;
            var ok = true;
            for (var step = 0; step <= script.Length; step++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var (status, twiml, failure) = await PostAsync(url, sid, caller.From, digits, null, form, signed);
                var t1 = Stopwatch.GetTimestamp();
                if (failure is not null || status != HttpStatusCode.OK)
                {
                    recorder.Error(t0, t1, failure ?? "HTTP " + (int)status);
                    ok = false;
                    break;
                }
                var (asked, action) = Read(twiml!);
                var expected = step < script.Length ? script[step].Expect : Asked.HangUp;
                if (asked != expected)
                {
                    // An apology, a refused PIN, another question: the call did not go as a caller expects.
                    recorder.Error(t0, t1, $"off script at step {step + 1} ({asked} instead of {expected})");
                    ok = false;
                    break;
                }
                recorder.Ok(t0, t1);
                // Steps by meaning: the petitions menu's extra question sits between the menu and the answer.
                Step(window, step <= 3 ? step : menu == "3" ? step : step == 4 ? 4 : step + 1, t0, t1);
                if (asked == Asked.HangUp) break;
                url = action!;
                digits = script[step].Keys;
                if (!window.Running && window.To != long.MaxValue) break; // time is up: hang up mid-call, as a caller may
            }
            // Twilio's status callback, for every call, whatever happened.
            var duration = ((int)Stopwatch.GetElapsedTime(started).TotalSeconds).ToString(CultureInfo.InvariantCulture);
            var s0 = Stopwatch.GetTimestamp();
            var end = await PostAsync(statusUrl, sid, caller.From, null, duration, form, signed);
            var s1 = Stopwatch.GetTimestamp();
            if (end.Failure is null && end.Status == HttpStatusCode.OK)
            {
                recorder.Ok(s0, s1);
                Step(window, StepNames.Length - 1, s0, s1);
            }
            else recorder.Error(s0, s1, "status callback: " + (end.Failure ?? "HTTP " + (int)end.Status));
            if (ok && s1 >= window.From && s1 <= window.To) Interlocked.Increment(ref callsCompleted);
            Interlocked.Increment(ref callsEnded);
        }
    }

    /// <summary>
    /// Posts a webhook as Twilio does: form-encoded, signed with HMAC-SHA1 of the URL followed by each parameter's name and
    /// value sorted by name, base64 (https://www.twilio.com/docs/usage/security#validating-requests). The parameters here
    /// are already in that order (AccountSid, ApiVersion, CallDuration, CallSid, CallStatus, Digits, Direction, From, To).
    /// </summary>
    private async Task<(HttpStatusCode Status, string? Twiml, string? Failure)> PostAsync(string url, string sid, string from, string? digits,
        string? duration, StringBuilder form, StringBuilder signed)
    {
        form.Clear();
        signed.Clear().Append(url);
        void Add(string name, string value)
        {
            if (form.Length > 0) form.Append('&');
            form.Append(name).Append('=').Append(Uri.EscapeDataString(value));
            signed.Append(name).Append(value);
        }
        Add("AccountSid", "AC00000000000000000000000000000000");
        Add("ApiVersion", "2010-04-01");
        if (duration is not null) Add("CallDuration", duration);
        Add("CallSid", sid);
        Add("CallStatus", duration is null ? "in-progress" : "completed");
        if (digits is not null) Add("Digits", digits);
        Add("Direction", "inbound");
        Add("From", from);
        Add("To", "+40258000001");
        var signature = Convert.ToBase64String(HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(signed.ToString())));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(form.ToString()));
            request.Content.Headers.ContentType = FormType;
            request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature);
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, body, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (0, null, ex.GetType().Name);
        }
    }

    /// <summary>What the TwiML asks of the caller, from its first verb that waits for them, and where the answer goes.</summary>
    private static (Asked Asked, string? Action) Read(string twiml)
    {
        var gather = twiml.IndexOf("<Gather", StringComparison.Ordinal);
        var hangup = twiml.IndexOf("<Hangup", StringComparison.Ordinal);
        var other = FirstOf(twiml, "<Enqueue", "<Record", "<Dial");
        if (gather >= 0 && (hangup < 0 || gather < hangup) && (other < 0 || gather < other))
        {
            var tagEnd = twiml.IndexOf('>', gather);
            var tag = twiml.AsSpan(gather, tagEnd - gather);
            var action = Attribute(tag, "action");
            if (action is null) return (Asked.Other, null);
            var numDigits = Attribute(tag, "numDigits");
            var asked = numDigits switch
            {
                "1" => Asked.OneKey,
                "4" => Asked.Pin,
                null when Attribute(tag, "finishOnKey") == "#" => Asked.Cnp,
                _ => Asked.Other,
            };
            return (asked, action.Replace("&amp;", "&", StringComparison.Ordinal));
        }
        if (hangup >= 0 && (other < 0 || hangup < other)) return (Asked.HangUp, null);
        return (Asked.Other, null);
    }

    private static int FirstOf(string text, params string[] tags) =>
        tags.Select(t => text.IndexOf(t, StringComparison.Ordinal)).Where(i => i >= 0).DefaultIfEmpty(-1).Min();

    private static string? Attribute(ReadOnlySpan<char> tag, string name)
    {
        var at = tag.IndexOf((" " + name + "=\"").AsSpan(), StringComparison.Ordinal);
        if (at < 0) return null;
        var start = at + name.Length + 3;
        var end = tag[start..].IndexOf('"');
        return end < 0 ? null : tag.Slice(start, end).ToString();
    }
}
