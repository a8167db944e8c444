using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using CitizenCrm.Core.Citizens;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Revenue;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.DemoCity;

public sealed record DemoCitizen(Guid Id, string Cnp, string Name, string? Phone, string Language, string Pin);

public sealed record DemoCityReport(int Seed, int Citizens, int TaxObligations, int Fines, int Cases, int TimelineEvents, TimeSpan Elapsed,
    IReadOnlyList<DemoCitizen> DemoCitizens, IReadOnlyList<string> Phases)
{
    /// <summary>The password every demo staff account shares (random, shown only now); null when the city has no cases.</summary>
    public string? StaffPassword { get; init; }
    public IReadOnlyList<DemoStaffMember> Staff { get; init; } = [];
    public int PhoneRobotCalls { get; init; }
    /// <summary>How many transactions the city was committed in.</summary>
    public int Chunks { get; init; }
    /// <summary>The largest the SQLite write-ahead log grew (measured after each commit, before its checkpoint); 0 elsewhere.</summary>
    public long WriteAheadLogMaxBytes { get; init; }
    /// <summary>Time spent in COMMIT (the fsync of synchronous=FULL) and in the checkpoints after them.</summary>
    public TimeSpan CommitTime { get; init; }
    public TimeSpan CheckpointTime { get; init; }
}

/// <summary>Where a demo city's build has got to, reported after each committed chunk.</summary>
public sealed record DemoCityProgress(string Phase, long Done, long Total, TimeSpan Elapsed, double PerSecond, TimeSpan? Remaining, long WriteAheadLogBytes);

/// <summary>
/// A realistic city for demos and benchmarks, the same for the same seed: citizens with valid CNPs and Romanian and Hungarian
/// names, their local taxes, payments and fines as the revenue system would export them, and a long history on the timeline
/// across every channel, and cases in every status (made by the registry's commands; only when the application's clock is a
/// <see cref="DemoClock"/>, which the demo-city verb installs). The bulk phases (citizens, ledger, history) are committed in
/// chunks of <c>chunkSize</c> rows through prepared commands (SQLite has one writer), the timeline through its batch append,
/// and on SQLite the write-ahead log is checkpointed and truncated after each chunk, so it never holds more than one
/// chunk: one transaction for ten million events grew it to 5 GB. The chunk size never changes the city.
/// It fills an empty database only: it never mixes invented people with real ones. A build that stops half way leaves a
/// marker file beside the database, and the next run refuses that half city (it is not resumed: see <see cref="UnfinishedMarker"/>).
/// </summary>
public sealed class DemoCityGenerator(UnitOfWork uow, Timeline.Timeline timeline, PhonePinHasher pinHasher, TimeProvider clock, IMediator mediator,
    RequestContext context, Staff.StaffPasswords passwords, Microsoft.Extensions.Options.IOptions<DatabaseOptions> databaseOptions)
{
    private const string CountCitizens = "SELECT COUNT(*) FROM citizens";

    /// <summary>
    /// Rows per transaction. At ten million events each chunk also rewrites the last page of most citizens in
    /// ix_timeline_citizen (50,000 citizens, one insertion point each: about 170 MB of pages at 100,000 events), so larger
    /// chunks cost fewer rewrites, but a fixed chunk of 100,000 grew the log past 256 MB after 5.9M events: chunks shrink
    /// by themselves once the log passes <see cref="LogTarget"/>.
    /// </summary>
    public const int DefaultChunkSize = 100_000;

    /// <summary>
    /// Written into the data folder when a build starts and deleted when it has committed its last chunk. A build that
    /// was interrupted leaves a half city (committed chunks); the next run finds this file and refuses to go on, saying
    /// so, rather than resuming: the cases and the dispatch replay commands whose state a resume would have to rebuild
    /// exactly, and a fresh folder takes only the time of a build.
    /// </summary>
    public const string UnfinishedMarker = "demo-city.unfinished";

    /// <summary>The log's size past which chunks are made smaller, with room for one chunk's growth under 256 MB.</summary>
    private const long LogTarget = 192L * 1024 * 1024;

    private int _chunk = DefaultChunkSize;
    private int _chunks;
    private long _walMax;
    private TimeSpan _commitTime, _checkpointTime;
    private Stopwatch _watch = new();
    private Action<DemoCityProgress>? _progress;

    public async Task<DemoCityReport> GenerateAsync(int seed, int citizenCount, int eventCount, CancellationToken ct, int demoCitizens = 5, int? caseCount = null,
        int chunkSize = DefaultChunkSize, Action<DemoCityProgress>? progress = null)
    {
        if (citizenCount < 1 || eventCount < citizenCount)
            throw ValidationFailedException.For("citizens", "Give at least one citizen, and at least as many events as citizens (each citizen's registration is one).");
        if (chunkSize < 1) throw ValidationFailedException.For("chunk", "Give a chunk of at least one row.");
        var marker = Path.Combine(databaseOptions.Value.DataFolder, UnfinishedMarker);
        if (File.Exists(marker))
            throw new ConflictException("A demo city build in this folder was interrupted before it finished (" + (await File.ReadAllTextAsync(marker, ct)).Trim() +
                "): the database holds half a city, which is never resumed. Delete the folder and build the city again in an empty one.",
                "Demo city unfinished");
        if (await uow.ExecuteScalarAsync<long>(CountCitizens, null, ct) > 0)
            throw new ConflictException("The demo city fills an empty database only, and this one already has citizens. Point it at a fresh folder: --Database:DataFolder=/tmp/demo.",
                "Database not empty");
        await File.WriteAllTextAsync(marker, string.Create(CultureInfo.InvariantCulture,
            $"seed {seed}, {citizenCount:N0} citizens, {eventCount:N0} events, started {clock.GetUtcNow():u}") + Environment.NewLine, ct);

        _chunk = chunkSize;
        _progress = progress;
        _watch = Stopwatch.StartNew();
        var watch = _watch;
        var phases = new List<string>();
        var rng = new Random(seed);
        var now = clock.GetUtcNow();
        var today = Common.Calendar.Today(clock);
        var nowMs = now.ToUnixTimeMilliseconds();
        var people = new List<Person>(citizenCount);
        int taxes = 0, fines = 0, cases = 0, events = 0;
        var shown = new List<DemoCitizen>();
        string? staffPassword = null;
        DemoStaff? staff = null;
        var calls = 0;

        // A million events make indexes far larger than SQLite's default 2 MB page cache; random event ids would then
        // read pages back from disk for every insert. A larger cache (up to 1 GB, for this one connection) keeps them in memory.
        // The timeline's portable INSERT ... SELECT ... WHERE NOT EXISTS keeps a statement journal (a temp file) for each row;
        // in memory it costs nothing, on disk it was a dozen writes per event.
        if (uow.Dialect is SqliteDialect) await uow.ExecuteAsync("PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY;", null, ct);

        try
        {
            var connection = await uow.ConnectionAsync(ct);
            var phaseStart = watch.Elapsed;
            people.AddRange(MakePeople(rng, citizenCount, today));
            await uow.BeginAsync(ct);
            await InsertCitizensAsync(connection, seed, people, nowMs, ct);
            await CommitChunkAsync(ct);
            phases.Add($"{people.Count:N0} citizens in {(watch.Elapsed - phaseStart).TotalSeconds:F1} s, by {watch.Elapsed.TotalSeconds:F1} s");

            phaseStart = watch.Elapsed;
            await uow.BeginAsync(ct);
            (taxes, fines) = await InsertLedgerAsync(connection, rng, people, today, nowMs, ct);
            await CommitChunkAsync(ct);
            phases.Add($"{taxes:N0} tax obligations and {fines:N0} fines in {(watch.Elapsed - phaseStart).TotalSeconds:F1} s, by {watch.Elapsed.TotalSeconds:F1} s");

            // The cases, the dispatch and the demo citizens' PINs are a few thousand commands: one transaction, as before
            // (a commit each would pay an fsync each).
            phaseStart = watch.Elapsed;
            await uow.BeginAsync(ct);
            if (clock is DemoClock demoClock)
            {
                staff = new DemoStaff(mediator, context, passwords);
                demoClock.StandAt(now.AddDays(-420));
                staffPassword = await staff.CreateAsync(ct);
                demoClock.Release();
                // A separate generator, so the cases never shift what the seed gives the rest of the city.
                var phones = people.Where(p => p.Phone is not null).ToDictionary(p => p.Id, p => p.Phone!);
                var arrivals = new DemoCases(mediator, demoClock, staff, uow, Emails, phones, seed);
                cases = await arrivals.CreateAsync(new Random(unchecked(seed * 31 + 7)),
                    people.Select(p => (p.Id, $"{p.First} {p.Last}")).ToList(), Featured(people, demoCitizens),
                    caseCount ?? Math.Max(40, citizenCount / 25), ct);
                phases.Add($"{cases:N0} cases in every status, from every channel, in {(watch.Elapsed - phaseStart).TotalSeconds:F1} s, by {watch.Elapsed.TotalSeconds:F1} s");

                // And a separate one again for what happened to them since, so the cases stay as they were.
                phaseStart = watch.Elapsed;
                var d = await new DemoDispatch(mediator, uow, demoClock, staff, arrivals).RunAsync(new Random(unchecked(seed * 43 + 11)), now, ct);
                cases += d.ArrivedToday;
                phases.Add($"{d.ArrivedToday} arrived this morning, {d.Claimed} claimed, {d.Assigned} assigned, {d.Prioritised} prioritised; " +
                           $"notifications {d.Sent:N0} sent, {d.Pending:N0} pending, {d.Failed} failed; deadline sweep: {d.Sweep.Summary} " +
                           $"in {(watch.Elapsed - phaseStart).TotalSeconds:F1} s, by {watch.Elapsed.TotalSeconds:F1} s");
            }
            else phases.Add("no cases: the application's clock is not the demo clock (run the demo-city verb)");

            // Demo citizens get a fresh PIN (random, not from the seed: it is a secret shown once) hashed as the desk does.
            foreach (var person in Featured(people, demoCitizens).Select(i => people[i]))
            {
                var pin = PhonePinHasher.NewPin();
                await uow.ExecuteAsync("UPDATE citizens SET pin_hash = @Hash, pin_issued_at = @Now WHERE id = @Id",
                    new { Hash = pinHasher.Hash(person.Id, pin), Now = nowMs, person.Id }, ct);
                shown.Add(new DemoCitizen(person.Id, person.Cnp, $"{person.First} {person.Last}", person.Phone, person.Language, pin));
            }
            await CommitChunkAsync(ct);

            phaseStart = watch.Elapsed;
            var historyTotal = eventCount + shown.Count;
            using (var history = History(seed, rng, people, eventCount, now, shown).GetEnumerator())
            {
                long done = 0;
                var slice = new Slice(history);
                while (!slice.Finished)
                {
                    await uow.BeginAsync(ct);
                    slice.Next(_chunk);
                    await timeline.AppendBatchAsync(slice, ct);
                    await CommitChunkAsync(ct);
                    done += slice.Taken;
                    Report("history", done, historyTotal, phaseStart);
                }
            }
            phases.Add($"{historyTotal:N0} history events in {(watch.Elapsed - phaseStart).TotalSeconds:F1} s " +
                       $"({historyTotal / Math.Max(0.001, (watch.Elapsed - phaseStart).TotalSeconds):N0}/s), by {watch.Elapsed.TotalSeconds:F1} s");
            if (clock is DemoClock)
            {
                var robotStart = watch.Elapsed;
                await uow.BeginAsync(ct);
                var robot = DemoPhoneCalls.Make(new Random(unchecked(seed * 53 + 13)), people.Select(p => (p.Id, p.Phone)).ToList(),
                    shown.Select(d => d.Id).ToList(), Math.Max(30, citizenCount / 25), now);
                calls = robot.Calls;
                await timeline.AppendBatchAsync(robot.Events, ct);
                await PhoneRequestsAsync(robot.Requests, new Random(unchecked(seed * 59 + 17)), (DemoClock)clock, staff!, now, ct);
                await CommitChunkAsync(ct);
                phases.Add($"{calls:N0} phone robot calls with their surveys, {robot.Requests.Count:N0} callback and message requests, " +
                           $"in {(watch.Elapsed - robotStart).TotalSeconds:F1} s");
            }
            events = (int)await uow.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM timeline_events", null, ct);
        }
        catch
        {
            await uow.RollbackAsync();
            throw;
        }
        File.Delete(marker);
        phases.Add(string.Create(CultureInfo.InvariantCulture, $"{events:N0} timeline events, committed in {_chunks:N0} chunks by {watch.Elapsed.TotalSeconds:F1} s " +
            $"(commits {_commitTime.TotalSeconds:F1} s, checkpoints {_checkpointTime.TotalSeconds:F1} s; write-ahead log at most {_walMax / 1048576.0:F0} MB)"));
        return new DemoCityReport(seed, people.Count, taxes, fines, cases, events, watch.Elapsed, shown, phases)
        {
            StaffPassword = staffPassword, Staff = staffPassword is null ? [] : DemoStaff.Members, PhoneRobotCalls = calls,
            Chunks = _chunks, WriteAheadLogMaxBytes = _walMax, CommitTime = _commitTime, CheckpointTime = _checkpointTime,
        };
    }

    /// <summary>
    /// Commits the open chunk and, on SQLite, copies the write-ahead log into the database and truncates it: the log then
    /// holds one chunk at most (SQLite's own checkpoint every 1,000 pages does not shrink the file, and is skipped while
    /// a transaction runs). Its size is read just before, when it is largest: it grows only by commits (and cache spills).
    /// </summary>
    private async Task CommitChunkAsync(CancellationToken ct)
    {
        var started = _watch.Elapsed;
        await uow.CommitAsync(ct);
        _chunks++;
        _commitTime += _watch.Elapsed - started;
        if (uow.Dialect is not SqliteDialect) return;
        var connection = await uow.ConnectionAsync(ct);
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { DataSource: { Length: > 0 } file })
        {
            var wal = new FileInfo(file + "-wal");
            if (wal.Exists)
            {
                _walMax = Math.Max(_walMax, wal.Length);
                // More citizens, or a longer history, mean more index pages rewritten per chunk (see DefaultChunkSize):
                // at 10M events and 50,000 citizens a chunk of 100,000 grew the log to 244 MB by 5.2M events, still
                // climbing. Past LogTarget the next chunks are made smaller, so the log stays under 256 MB whatever
                // the city's size. Only the commits move: the city is the same.
                if (wal.Length > LogTarget) _chunk = Math.Max(Math.Min(_chunk, 1_000), (int)(_chunk * (double)LogTarget / wal.Length));
            }
        }
        started = _watch.Elapsed;
        await uow.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE);", null, ct);
        _checkpointTime += _watch.Elapsed - started;
    }

    /// <summary>Commits the chunk when it holds enough rows, and carries on in a new transaction with the same prepared commands.</summary>
    private async Task<int> NextChunkAsync(int rows, string phase, long done, long total, TimeSpan phaseStart, DbCommand[] commands, CancellationToken ct)
    {
        if (rows < _chunk) return rows;
        await CommitChunkAsync(ct);
        await uow.BeginAsync(ct);
        foreach (var command in commands) command.Transaction = uow.Transaction;
        Report(phase, done, total, phaseStart);
        return 0;
    }

    private void Report(string phase, long done, long total, TimeSpan phaseStart)
    {
        if (_progress is null) return;
        var seconds = (_watch.Elapsed - phaseStart).TotalSeconds;
        var rate = seconds > 0 ? done / seconds : 0;
        _progress(new DemoCityProgress(phase, done, total, _watch.Elapsed, rate,
            rate > 0 ? TimeSpan.FromSeconds((total - done) / rate) : null, _walMax));
    }

    /// <summary>The next chunk of a lazily generated sequence, read from one enumerator across chunks.</summary>
    private sealed class Slice(IEnumerator<TimelineEntry> source) : IEnumerable<TimelineEntry>
    {
        private int _size;

        public int Taken { get; private set; }
        public bool Finished { get; private set; }

        public void Next(int size) => (Taken, _size) = (0, size);

        public IEnumerator<TimelineEntry> GetEnumerator()
        {
            while (Taken < _size)
            {
                if (!source.MoveNext())
                {
                    Finished = true;
                    yield break;
                }
                Taken++;
                yield return source.Current;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>
    /// The robot's callback and message requests, through its own command; a dispatcher dealt with those older than
    /// three days, the rest wait in the dispatchers' queue.
    /// </summary>
    private async Task PhoneRequestsAsync(IReadOnlyList<(DateTimeOffset At, Phone.RequestPhoneContact Request)> requests, Random rng, DemoClock demoClock,
        DemoStaff staff, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (at, request) in requests)
        {
            demoClock.StandAt(at);
            var id = await mediator.Send(request, ct);
            if (at >= now.AddDays(-3)) continue;
            demoClock.StandAt(at.AddMinutes(rng.Next(10, 180)));
            await staff.AsAsync(rng.Next(2) == 0 ? "dispecer1" : "dispecer2", async () =>
                await mediator.Send(new Phone.CompletePhoneRequest(id, request.Kind == Phone.PhoneRequestKinds.Message
                    ? "Mesaj ascultat; cetățeanul a fost sunat înapoi."
                    : "Sunat înapoi; solicitarea a fost lămurită."), ct));
        }
        demoClock.Release();
    }

    /// <summary>The citizens printed at the end for trying things with: the first ones with a phone.</summary>
    private static IReadOnlyList<int> Featured(List<Person> people, int count) =>
        people.Select((p, i) => (p, i)).Where(x => x.p.Phone is not null).Take(count).Select(x => x.i).ToList();

    private sealed record Person(Guid Id, string Cnp, string First, string Last, DateOnly Birth, string? Phone, string Language, string Address);

    private static Guid NextGuid(Random rng)
    {
        Span<byte> bytes = stackalloc byte[16];
        rng.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout, as Guid.NewGuid makes
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static T Pick<T>(Random rng, T[] items) => items[rng.Next(items.Length)];

    private static IEnumerable<Person> MakePeople(Random rng, int count, DateOnly today)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var hungarian = rng.Next(100) < 18;
            var female = rng.Next(2) == 0;
            var birth = new DateOnly(today.Year - 18 - rng.Next(70), 1, 1).AddDays(rng.Next(365));
            var sex = (birth.Year >= 2000 ? 5 : 1) + (female ? 1 : 0);
            var county = rng.Next(100) < 80 ? 1 : rng.Next(1, 47);
            string cnp;
            var serial = rng.Next(1, 1000);
            do cnp = Cnp.Compose(sex, birth, county, serial++ % 1000);
            while (!used.Add(cnp));
            var first = hungarian
                ? Pick(rng, female ? DemoNames.HungarianFemale : DemoNames.HungarianMale)
                : Pick(rng, female ? DemoNames.RomanianFemale : DemoNames.RomanianMale);
            var last = Pick(rng, hungarian ? DemoNames.HungarianLast : DemoNames.RomanianLast);
            var phone = rng.Next(100) < 85
                ? string.Create(CultureInfo.InvariantCulture, $"+407{rng.Next(2, 8)}{rng.Next(0, 10_000_000):D7}") // 072x–077x: mobile ranges in use (078x is not)
                : null;
            var language = hungarian ? (rng.Next(100) < 70 ? "hu" : "ro") : (rng.Next(100) < 3 ? "en" : "ro");
            var address = string.Create(CultureInfo.InvariantCulture, $"{Pick(rng, DemoNames.Streets)} {rng.Next(1, 120)}, Alba Iulia");
            yield return new Person(NextGuid(rng), cnp, first, last, birth, phone, language, address);
        }
    }

    /// <summary>A command prepared once and re-bound for each row.</summary>
    private static async Task<DbCommand> PrepareAsync(DbConnection connection, DbTransaction? tx, string sql, string[] names, CancellationToken ct)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = DBNull.Value;
            command.Parameters.Add(p);
        }
        // Prepared up front on SQLite only (measured there: the parse per row was most of a city's time). Npgsql would
        // fix each parameter's type from its first value, here DBNull, and then fail the binary protocol on a real one.
        if (connection is Microsoft.Data.Sqlite.SqliteConnection) await command.PrepareAsync(ct);
        return command;
    }

    private static Task<int> RunAsync(DbCommand command, CancellationToken ct, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command.ExecuteNonQueryAsync(ct);
    }

    private static readonly string[] MailDomains = ["example.com", "example.net", "example.org"];

    /// <summary>The demo citizens' e-mail addresses, by citizen.</summary>
    private Dictionary<Guid, string> Emails { get; } = [];

    private static string Ascii(string name) =>
        new(NameFolding.Fold(name).Where(char.IsAsciiLetterLower).ToArray());

    private async Task InsertCitizensAsync(DbConnection connection, int seed, List<Person> people, long nowMs, CancellationToken ct)
    {
        await using var citizen = await PrepareAsync(connection, uow.Transaction, """
            INSERT INTO citizens (id, id_type, national_id, first_name, last_name, date_of_birth, address, preferred_language,
                                  phones, emails, created_at, updated_at, version)
            VALUES (@Id, 'cnp', @NationalId, @First, @Last, @Birth, @Address, @Language, @Phones, @Emails, @Now, @Now, 1)
            """, ["Id", "NationalId", "First", "Last", "Birth", "Address", "Language", "Phones", "Emails", "Now"], ct);
        await using var mail = await PrepareAsync(connection, uow.Transaction,
            "INSERT INTO citizen_emails (email, citizen_id) VALUES (@Email, @Id)", ["Email", "Id"], ct);
        await using var phone = await PrepareAsync(connection, uow.Transaction,
            "INSERT INTO citizen_phones (phone, citizen_id) VALUES (@Phone, @Id)", ["Phone", "Id"], ct);
        await using var token = await PrepareAsync(connection, uow.Transaction,
            "INSERT INTO citizen_name_tokens (token, citizen_id) VALUES (@Token, @Id)", ["Token", "Id"], ct);
        // A third of the city has an e-mail address (their own generator, so the rest of the city stays as the seed made it).
        // Only example.com/.net/.org (RFC 2606): an address of the demo city can never reach a real mailbox.
        var mailRng = new Random(unchecked(seed * 17 + 3));
        DbCommand[] commands = [citizen, mail, phone, token];
        int rows = 0, done = 0;
        var phaseStart = _watch.Elapsed;
        foreach (var p in people)
        {
            rows = await NextChunkAsync(rows, "citizens", done++, people.Count, phaseStart, commands, ct);
            var email = mailRng.Next(100) < 35
                ? string.Create(CultureInfo.InvariantCulture, $"{Ascii(p.First)}.{Ascii(p.Last)}{mailRng.Next(1, 1000)}@{Pick(mailRng, MailDomains)}")
                : null;
            if (email is not null) Emails[p.Id] = email;
            rows += await RunAsync(citizen, ct, p.Id, p.Cnp, p.First, p.Last, p.Birth, p.Address, p.Language,
                p.Phone is null ? "[]" : Json.Serialize(new[] { p.Phone }), email is null ? "[]" : Json.Serialize(new[] { email }), nowMs);
            if (p.Phone is not null) rows += await RunAsync(phone, ct, p.Phone, p.Id);
            if (email is not null) rows += await RunAsync(mail, ct, email, p.Id);
            foreach (var t in NameFolding.Tokens(p.First, p.Last)) rows += await RunAsync(token, ct, t, p.Id);
        }
    }

    private async Task<(int Taxes, int Fines)> InsertLedgerAsync(DbConnection connection, Random rng, List<Person> people, DateOnly today, long nowMs, CancellationToken ct)
    {
        var batch = Guid.Empty; // the demo's ledger did not come from an import
        await using var tax = await PrepareAsync(connection, uow.Transaction, """
            INSERT INTO tax_obligations (id, citizen_id, source_ref, tax_kind, fiscal_year, description, amount_due, amount_paid,
                                         increases, exported_on, import_batch, updated_at, version)
            VALUES (@Id, @CitizenId, @SourceRef, @Kind, @Year, @Description, @Due, @Paid, NULL, @ExportedOn, @Batch, @Now, 1)
            """, ["Id", "CitizenId", "SourceRef", "Kind", "Year", "Description", "Due", "Paid", "ExportedOn", "Batch", "Now"], ct);
        await using var fine = await PrepareAsync(connection, uow.Transaction, """
            INSERT INTO fines (id, citizen_id, source_ref, report_number, handed_over_on, legal_basis, fine_category, amount_applied,
                               legal_minimum, amount_paid, paid_on, exported_on, import_batch, updated_at, version)
            VALUES (@Id, @CitizenId, @SourceRef, @Number, @HandedOver, @Basis, @Category, @Applied, @Minimum, @Paid, @PaidOn, @ExportedOn, @Batch, @Now, 1)
            """, ["Id", "CitizenId", "SourceRef", "Number", "HandedOver", "Basis", "Category", "Applied", "Minimum", "Paid", "PaidOn", "ExportedOn", "Batch", "Now"], ct);

        int taxes = 0, fines = 0;
        var fineKinds = new (string Category, string Basis, long Min, long Max)[]
        {
            (FineRules.General, "HCL Alba Iulia 215/2019 art. 4 (curățenie)", 20_000, 100_000),
            (FineRules.PublicOrder, "Legea 61/1991 art. 2 pct. 1", 50_000, 150_000),
            (FineRules.Urbanism, "Legea 50/1991 art. 26 alin. (1) lit. c)", 100_000, 500_000),
            (FineRules.General, "OUG 195/2002 art. 108 (parcare)", 29_000, 58_000),
            (FineRules.BuildingWithoutPermit, "Legea 50/1991 art. 26 alin. (1) lit. a)", 100_000, 500_000),
        };
        DbCommand[] commands = [tax, fine];
        int rows = 0, done = 0;
        var phaseStart = _watch.Elapsed;
        foreach (var p in people)
        {
            rows = await NextChunkAsync(rows, "ledger", done++, people.Count, phaseStart, commands, ct);
            foreach (var year in new[] { today.Year - 1, today.Year })
            {
                var current = year == today.Year;
                var buildings = rng.Next(100) switch { < 55 => 1, < 65 => 2, _ => 0 };
                var items = new List<(string Kind, string Description, long Due)>();
                for (var b = 0; b < buildings; b++)
                    items.Add((TaxRules.Building, b == 0 ? p.Address : $"{Pick(rng, DemoNames.Streets)} {rng.Next(1, 120)}, Alba Iulia", rng.Next(30_00, 2_500_00)));
                if (rng.Next(100) < 35) items.Add((TaxRules.Land, $"Teren intravilan, {Pick(rng, DemoNames.Streets)}", rng.Next(8_00, 400_00)));
                if (rng.Next(100) < 45)
                    items.Add((TaxRules.Vehicle, string.Create(CultureInfo.InvariantCulture,
                        $"{Pick(rng, DemoNames.Plates)}-{rng.Next(1, 100):D2}-{(char)('A' + rng.Next(26))}{(char)('A' + rng.Next(26))}{(char)('A' + rng.Next(26))}"), rng.Next(20_00, 1_800_00)));
                foreach (var (kind, description, due) in items)
                {
                    // Most pay; some pay half; a few pay nothing (last year's debts carry increases).
                    var paid = rng.Next(100) switch
                    {
                        < 70 => current && today < new DateOnly(year, 3, 31) && rng.Next(2) == 0 ? 0 : due,
                        < 85 => due / 2,
                        _ => 0,
                    };
                    rows += await RunAsync(tax, ct, NextGuid(rng), p.Id, $"DEMO-T{++taxes:D7}", kind, year, description, (long)due, paid, today, batch, nowMs);
                }
            }
            if (rng.Next(100) < 7)
            {
                var f = fineKinds[rng.Next(fineKinds.Length)];
                var minimum = f.Min;
                var applied = minimum + rng.NextInt64(0, (f.Max - f.Min) / 100 + 1) * 100;
                var handedOver = today.AddDays(-rng.Next(1, 120));
                var (paid, paidOn) = rng.Next(100) switch
                {
                    < 40 => (minimum / 2, (DateOnly?)handedOver.AddDays(rng.Next(0, 15))),
                    < 55 => (applied, (DateOnly?)handedOver.AddDays(rng.Next(16, 60))),
                    _ => (0L, (DateOnly?)null),
                };
                if (paidOn > today) (paid, paidOn) = (0L, null);
                rows += await RunAsync(fine, ct, NextGuid(rng), p.Id, $"DEMO-F{++fines:D7}",
                    string.Create(CultureInfo.InvariantCulture, $"AB{rng.Next(100_000, 999_999)}"), handedOver, f.Basis, f.Category,
                    applied, minimum, paid, paidOn, today, batch, nowMs);
            }
        }
        return (taxes, fines);
    }

    private static readonly (string Channel, string Kind, string Summary)[] Contacts =
    [
        (Channels.Phone, "call.answered", "Call answered by the dispatch centre: question about local taxes"),
        (Channels.Phone, "call.answered", "Call answered by the dispatch centre: street lighting reported out"),
        (Channels.Ivr, "ivr.identity_verified", "Caller verified on the phone robot with CNP and PIN"),
        (Channels.Ivr, "ivr.balance_read", "Phone robot read out the tax balance"),
        (Channels.Ivr, "ivr.transferred", "Phone robot transferred the caller to an operator"),
        (Channels.Desk, "desk.visit", "Visit at the registry desk: documents submitted"),
        (Channels.Desk, "desk.certificate_issued", "Tax certificate (certificat de atestare fiscală) issued at the desk"),
        (Channels.Web, "web.message", "Message through the city hall website"),
        (Channels.Email, "email.received", "E-mail received: request for information"),
        (Channels.Email, "email.sent", "E-mail answer sent"),
        (Channels.Post, "post.received", "Letter received by post"),
        (Channels.Map, "map.report", "Pothole reported on the city map"),
        (Channels.Field, "field.inspection", "Field inspection carried out at the address"),
        (Channels.System, "revenue.payment_recorded", "Payment recorded by the revenue system"),
    ];

    private static readonly string[] Clerks = ["maria", "ioana.pop", "kovacs.eva", "andrei.muntean", "dispecer1", "dispecer2"];

    /// <summary>The history, generated lazily so that a million events are never held in memory at once.</summary>
    private static IEnumerable<TimelineEntry> History(int seed, Random rng, List<Person> people, int count, DateTimeOffset now, List<DemoCitizen> shown)
    {
        var twoYears = TimeSpan.FromDays(730).TotalMilliseconds;
        var registeredAt = now.AddDays(-730);
        var i = 0;
        foreach (var p in people)
        {
            yield return new TimelineEntry
            {
                Kind = "citizen.registered",
                Channel = Channels.Desk,
                Summary = $"Citizen {p.First} {p.Last} registered (CNP {Cnp.Mask(p.Cnp)})",
                CitizenId = p.Id,
                Actor = "demo-city",
                OccurredAt = registeredAt,
                DedupKey = string.Create(CultureInfo.InvariantCulture, $"demo:{seed}:{i++}"),
            };
        }
        foreach (var d in shown)
            yield return new TimelineEntry
            {
                Kind = "citizen.phone_pin_issued",
                Channel = Channels.Desk,
                Summary = "Phone PIN issued at the desk (demo city)",
                CitizenId = d.Id,
                Actor = "demo-city",
                DedupKey = string.Create(CultureInfo.InvariantCulture, $"demo:{seed}:pin:{d.Id:N}"),
            };
        while (i < count)
        {
            var p = people[rng.Next(people.Count)];
            var (channel, kind, summary) = Contacts[rng.Next(Contacts.Length)];
            // In time order, as a real history is appended: the timeline's newest-first pages read naturally.
            var slot = twoYears / Math.Max(1, count - people.Count);
            var occurred = registeredAt.AddMilliseconds((i - people.Count + rng.NextDouble()) * slot);
            // A call's id (Twilio's CallSid shape: CA and 32 hex digits) starts with the call's time, so ix_timeline_correlation
            // grows at its end like the other time-ordered indexes; fully random ids put each insert on a random page, and
            // each chunk rewrote tens of thousands of that index's pages into the write-ahead log. The first random
            // number is still drawn, so the rest of the city stays as the seed made it.
            string? correlation = null;
            if (channel is Channels.Phone or Channels.Ivr)
            {
                _ = rng.NextInt64();
                correlation = string.Create(CultureInfo.InvariantCulture, $"CA{occurred.ToUnixTimeMilliseconds():x16}{rng.NextInt64():x16}");
            }
            yield return new TimelineEntry
            {
                Kind = kind,
                Channel = channel,
                Summary = summary,
                CitizenId = p.Id,
                Correlation = correlation,
                Actor = channel switch
                {
                    Channels.Ivr => "ivr",
                    Channels.System => "system",
                    Channels.Map or Channels.Web => "citizen",
                    _ => Clerks[rng.Next(Clerks.Length)],
                },
                OccurredAt = occurred,
                Payload = new { demo = true },
                DedupKey = string.Create(CultureInfo.InvariantCulture, $"demo:{seed}:{i++}"),
            };
        }
    }
}
