using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.DemoCity;
using CitizenCrm.Core.Storage;
using CitizenCrm.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CitizenCrm.Tests.Storage;

/// <summary>
/// CI has no SQL Server (issue 13, point 4). What it can check is that SQL Server would accept every text we would send
/// it: each migration under sql/sqlserver/, the statements inside their EXEC(N'...'), and every statement the SQL Server
/// dialect renders from the code, parsed by Microsoft's own T-SQL parser (ScriptDom) with no error. Parsing proves the
/// syntax, not the meaning (names, types, what a statement does): that needs a live server (SqlServerLiveTests).
/// </summary>
public sealed class SqlServerScriptTests
{
    // The newest parser in ScriptDom 180.140.0; the migrations are also held to SQL Server 2019's (TSql150), the oldest
    // version the scripts claim to support.
    private static TSqlParser Newest() => new TSql180Parser(initialQuotedIdentifiers: true);
    private static TSqlParser SqlServer2019() => new TSql150Parser(initialQuotedIdentifiers: true);

    private static readonly Assembly Core = typeof(Migrator).Assembly;

    private static IReadOnlyList<string> Errors(TSqlParser parser, string sql, out TSqlFragment fragment)
    {
        using var reader = new StringReader(sql);
        fragment = parser.Parse(reader, out var errors);
        return errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToList();
    }

    private static List<(string Name, string Sql)> Migrations(string dialect)
    {
        var prefix = $"sql/{dialect}/";
        return Core.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(Core.GetManifestResourceStream(n)!);
                return (n[prefix.Length..], reader.ReadToEnd());
            })
            .ToList();
    }

    [Test]
    public void Every_sql_server_migration_and_every_statement_it_executes_parses_without_errors()
    {
        var failures = new List<string>();
        var parsed = 0;
        foreach (var (name, sql) in Migrations("sqlserver"))
        {
            Assert.That(sql, Does.Not.Match(@"(?im)^\s*GO\s*$"), $"{name}: the migrator runs a file as one command; GO is a client's separator");
            foreach (var (label, parser) in new[] { ("newest", Newest()), ("2019", SqlServer2019()) })
            {
                var errors = Errors(parser, sql, out var script);
                parsed++;
                failures.AddRange(errors.Select(e => $"{name} ({label}): {e}"));
                if (errors.Count > 0) continue;
                // The statements that must be alone in a batch (CREATE TRIGGER, CREATE VIEW) and the ones that name a column
                // added earlier in the same script run through EXEC(N'...'): parse what they execute too.
                var inner = new ExecutedStrings();
                script.Accept(inner);
                foreach (var text in inner.Texts)
                {
                    parsed++;
                    failures.AddRange(Errors(parser, text, out _).Select(e => $"{name} ({label}), inside EXEC: {e}\n{text}"));
                }
            }
        }
        TestContext.Out.WriteLine($"{parsed} migration scripts and EXEC texts parsed.");
        Assert.That(failures, Is.Empty, string.Join("\n", failures));
        Assert.That(parsed, Is.GreaterThan(40));
    }

    private sealed class ExecutedStrings : TSqlFragmentVisitor
    {
        public List<string> Texts { get; } = [];

        public override void Visit(ExecutableStringList node)
        {
            var text = new StringBuilder();
            foreach (var part in node.Strings)
            {
                if (part is StringLiteral literal) text.Append(literal.Value);
                else throw new InvalidOperationException("An EXEC in a migration builds its text from a variable; keep it literal so it can be checked.");
            }
            Texts.Add(text.ToString());
        }
    }

    /// <summary>
    /// One rule SQL Server applies after parsing that the parser does not: ORDER BY in a derived table, a subquery or a
    /// common table expression is refused (error 1033) unless TOP or OFFSET goes with it. SQLite and PostgreSQL allow it.
    /// </summary>
    private sealed class OrderedSubqueries : TSqlFragmentVisitor
    {
        public List<string> Found { get; } = [];

        private void Check(QueryExpression? query)
        {
            if (query is null || query.OrderByClause is null || query.OffsetClause is not null) return;
            if (query is QuerySpecification { TopRowFilter: not null }) return;
            Found.Add($"line {query.StartLine}: ORDER BY in a subquery without TOP or OFFSET (SQL Server error 1033)");
        }

        public override void Visit(QueryDerivedTable node) => Check(node.QueryExpression);
        public override void Visit(ScalarSubquery node) => Check(node.QueryExpression);
        public override void Visit(CommonTableExpression node) => Check(node.QueryExpression);
    }

    // ---- The statements in the code ----

    private static readonly string[] SqlStarts = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"];

    /// <summary>True when the text, after blanks and comments, starts with a statement's first word.</summary>
    internal static bool LooksLikeSql(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) i++;
            else if (text.AsSpan(i).StartsWith("--"))
            {
                var end = text.IndexOf('\n', i);
                i = end < 0 ? text.Length : end + 1;
            }
            else if (text.AsSpan(i).StartsWith("/*"))
            {
                var end = text.IndexOf("*/", i, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else break;
        }
        var word = new string(text.AsSpan(i).ToArray().TakeWhile(char.IsAsciiLetter).ToArray());
        var after = i + word.Length;
        // Upper case, as every statement in the code is written; an English sentence starting with "Select" or "With" is not.
        return SqlStarts.Contains(word, StringComparer.Ordinal) && (after == text.Length || char.IsWhiteSpace(text[after]) || text[after] == '(');
    }

    internal static IEnumerable<Assembly> CodeAssemblies() =>
        [Core, Assembly.Load("CitizenCrm.Ivr"), typeof(Program).Assembly];

    /// <summary>
    /// Every const string and static readonly string of the three assemblies, in every type (nested, private and
    /// compiler-generated ones included), that starts like a statement.
    /// </summary>
    internal static List<(string Where, string Sql)> CollectStatements(List<string> unreadable)
    {
        var found = new List<(string, string)>();
        const BindingFlags all = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var assembly in CodeAssemblies())
        {
            Type[] types;
            try { types = assembly.GetTypes(); }
            catch (ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
            foreach (var type in types)
            foreach (var field in type.GetFields(all))
            {
                if (field.FieldType != typeof(string)) continue;
                string? value;
                if (field.IsLiteral) value = (string?)field.GetRawConstantValue();
                else if (field.IsInitOnly && !type.ContainsGenericParameters)
                {
                    try { value = (string?)field.GetValue(null); }
                    catch (TargetInvocationException e)
                    {
                        unreadable.Add($"{type.FullName}.{field.Name}: {e.InnerException?.Message}");
                        continue;
                    }
                }
                else continue;
                if (value is not null && LooksLikeSql(value)) found.Add(($"{type.FullName}.{field.Name}", value));
            }
        }
        return found;
    }

    /// <summary>
    /// Dapper expands "IN @List" into "IN (@List1, @List2, ...)" before the command is sent, on every database; the parser
    /// sees the statement as it is sent.
    /// </summary>
    private static string AsDapperSends(string sql) =>
        Regex.Replace(sql, @"\bIN\s+(@\w+)", "IN ($1)", RegexOptions.IgnoreCase);

    internal static (List<string> Failures, List<string> Refused, int Parsed) RenderAndParse(IEnumerable<(string Where, string Sql)> statements,
        StringBuilder? sent = null)
    {
        var failures = new List<string>();
        var refused = new List<string>();
        var parsed = 0;
        foreach (var (where, sql) in statements)
        {
            string rendered;
            try { rendered = SqlServerDialect.Instance.Render(sql); }
            catch (NotSupportedException e)
            {
                refused.Add($"{where}: {e.Message.Split('\n')[0].TrimEnd()}" + (where == "recorded" ? "\n" + sql : ""));
                continue;
            }
            sent?.Append("-- ").Append(where).Append('\n').Append(rendered.Trim()).Append("\n;\n\n");
            var errors = Errors(Newest(), AsDapperSends(rendered), out var fragment);
            if (errors.Count == 0)
            {
                var nested = new OrderedSubqueries();
                fragment.Accept(nested);
                errors = nested.Found;
            }
            parsed++;
            if (errors.Count > 0) failures.Add($"{where}\n  {string.Join("\n  ", errors)}\n  as sent:\n{rendered}\n");
        }
        return (failures, refused, parsed);
    }

    [Test]
    public void Every_statement_in_the_code_renders_to_t_sql_that_parses_without_errors()
    {
        var unreadable = new List<string>();
        var statements = CollectStatements(unreadable);
        var sent = new StringBuilder();
        var (failures, refused, parsed) = RenderAndParse(statements, sent);
        // What SQL Server would be sent, for a reviewer to read beside the code.
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "sqlserver-rendered.sql");
        File.WriteAllText(file, sent.ToString());

        TestContext.Out.WriteLine($"{statements.Count} statements collected from the code; {parsed} rendered and parsed; {refused.Count} refused by the dialect " +
                                  $"(the rendered statements are in {file}):");
        foreach (var r in refused) TestContext.Out.WriteLine("  " + r);
        Assert.That(unreadable, Is.Empty, "static readonly strings whose type could not be initialised: " + string.Join("\n", unreadable));
        Assert.That(failures, Is.Empty, $"{failures.Count} statements do not parse as T-SQL:\n" + string.Join("\n", failures));
        // The ON CONFLICT upserts of the phone lockout (Phone/VerifyCaller.cs, Phone/UnlockPhoneAccess.cs): they need a
        // MERGE or an UPDATE-then-INSERT in the handler, which the dialect cannot write for them.
        Assert.That(refused, Is.Empty, string.Join("\n", refused));
        Assert.That(parsed, Is.GreaterThan(300), "the collection found too few statements: is the SQL still in const strings?");
    }

    // ---- The rewrites, one by one ----

    [TestCase("SELECT id FROM cases ORDER BY registered_at DESC LIMIT 1",
        "SELECT id FROM cases ORDER BY registered_at DESC OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY")]
    [TestCase("SELECT a FROM t ORDER BY a LIMIT @Limit OFFSET @Skip",
        "SELECT a FROM t ORDER BY a OFFSET @Skip ROWS FETCH NEXT @Limit ROWS ONLY")]
    [TestCase("DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < @Cutoff LIMIT @Batch)",
        "DELETE FROM audit_log WHERE id IN (SELECT TOP (@Batch) id FROM audit_log WHERE at < @Cutoff)")]
    [TestCase("SELECT DISTINCT kind FROM timeline_events LIMIT 5", "SELECT DISTINCT TOP (5) kind FROM timeline_events")]
    [TestCase("SELECT id FROM t WHERE name = 'Ștefan' AND code = N'x'", "SELECT id FROM t WHERE name = N'Ștefan' AND code = N'x'")]
    [TestCase("SELECT 1 AS Public, n.id AS Key FROM t n", "SELECT CAST(1 AS BIGINT) AS [Public], n.id AS [Key] FROM t n")]
    [TestCase("SELECT CASE WHEN a IS NULL THEN 1 ELSE 0 END AS Erased, SUM(CASE WHEN b = 'x' THEN 1 END) AS N, CASE WHEN c = 1 THEN 'y' ELSE 0 END AS M FROM t",
        "SELECT CAST(CASE WHEN a IS NULL THEN 1 ELSE 0 END AS BIGINT) AS Erased, SUM(CAST(CASE WHEN b = N'x' THEN 1 END AS BIGINT)) AS N, CASE WHEN c = 1 THEN N'y' ELSE 0 END AS M FROM t")]
    [TestCase("DELETE FROM t WHERE k IN (SELECT k FROM t WHERE a < @Cutoff UNION SELECT k FROM t WHERE b < @Cutoff LIMIT @Batch)",
        "DELETE FROM t WHERE k IN (SELECT TOP (@Batch) * FROM (SELECT k FROM t WHERE a < @Cutoff UNION SELECT k FROM t WHERE b < @Cutoff) AS limited_rows)")]
    [TestCase("INSERT INTO t (a, b) VALUES (@A, @B) RETURNING seq", "INSERT INTO t (a, b) OUTPUT INSERTED.seq VALUES (@A, @B)")]
    [TestCase("UPDATE t SET a = 1 WHERE id = @Id RETURNING a, b AS Bee", "UPDATE t SET a = 1 OUTPUT INSERTED.a, INSERTED.b AS Bee WHERE id = @Id")]
    [TestCase("DELETE FROM t WHERE id = @Id RETURNING id", "DELETE FROM t OUTPUT DELETED.id WHERE id = @Id")]
    [TestCase("SELECT c.number || '/' || c.year AS N FROM cases c",
        "SELECT (CAST(c.number AS nvarchar(max)) + N'/' + CAST(c.year AS nvarchar(max))) AS N FROM cases c")]
    [TestCase("SELECT 'x || y', COUNT(*), length(name) FROM t WHERE flag = TRUE -- LIMIT 3",
        "SELECT N'x || y', COUNT_BIG(*), LEN(name) FROM t WHERE flag = 1 -- LIMIT 3")]
    [TestCase("SELECT CAST(seq AS TEXT), substr(name, 2) FROM t", "SELECT CAST(seq AS nvarchar(max)), SUBSTRING(name, 2, 2147483647) FROM t")]
    [TestCase("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY)",
        "IF OBJECT_ID(N'schema_version', N'U') IS NULL CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY)")]
    public void Render_rewrites_the_common_sql_into_t_sql(string common, string tsql)
    {
        Assert.That(SqlServerRewriter.Rewrite(common), Is.EqualTo(tsql));
        Assert.That(Errors(Newest(), tsql, out _), Is.Empty);
    }

    [Test]
    public void An_insert_that_does_nothing_on_conflict_becomes_an_insert_unless_the_key_is_there_under_a_key_range_lock()
    {
        Assert.That(SqlServerRewriter.Rewrite(
                "INSERT INTO registration_counters (register_code, year, value) VALUES (@Register, @Year, 0) ON CONFLICT (register_code, year) DO NOTHING"),
            Is.EqualTo("INSERT INTO registration_counters (register_code, year, value) SELECT @Register, @Year, 0 " +
                       "WHERE NOT EXISTS (SELECT 1 FROM registration_counters WITH (UPDLOCK, HOLDLOCK) WHERE register_code = @Register AND year = @Year)"));
    }

    [Test]
    public void The_phone_lockouts_upsert_becomes_a_merge_that_holds_the_keys_range()
    {
        Assert.That(SqlServerRewriter.Rewrite(
                "INSERT INTO phone_access_locks (cnp_key, citizen_id, locked_at) VALUES (@CnpKey, @CitizenId, @At) " +
                "ON CONFLICT (cnp_key) DO UPDATE SET locked_at = @At, citizen_id = @CitizenId"),
            Is.EqualTo("MERGE INTO phone_access_locks WITH (HOLDLOCK) AS existing " +
                       "USING (SELECT @CnpKey AS cnp_key, @CitizenId AS citizen_id, @At AS locked_at) AS incoming " +
                       "ON existing.cnp_key = incoming.cnp_key " +
                       "WHEN MATCHED THEN UPDATE SET locked_at = @At, citizen_id = @CitizenId " +
                       "WHEN NOT MATCHED THEN INSERT (cnp_key, citizen_id, locked_at) VALUES (incoming.cnp_key, incoming.citizen_id, incoming.locked_at);"));
    }

    [TestCase("INSERT INTO phone_access_locks (cnp_key, locked_at) VALUES (@K, @At) ON CONFLICT DO NOTHING")]
    [TestCase("INSERT INTO phone_access_locks (cnp_key, locked_at) VALUES (@K, @At) ON CONFLICT (cnp_key) DO UPDATE SET locked_at = excluded.locked_at")]
    [TestCase("INSERT OR IGNORE INTO t (a) VALUES (1)")]
    [TestCase("SELECT a FROM t LIMIT 3 OFFSET 2")]
    [TestCase("SELECT seq::text FROM t")]
    public void Render_refuses_what_has_no_mechanical_t_sql_form(string common)
    {
        var refused = Assert.Throws<NotSupportedException>(() => SqlServerRewriter.Rewrite(common))!;
        Assert.That(refused.Message, Does.Contain(common));
    }

    // The T-SQL each refused upsert needs (notes/sqlserver-13.md), for whoever gives the phone lockout its SQL Server form:
    // UPDLOCK and HOLDLOCK hold the key's range, so two callers cannot both miss the row and both insert it.
    [TestCase("""
        UPDATE phone_access_locks WITH (UPDLOCK, HOLDLOCK) SET locked_at = @At, citizen_id = @CitizenId WHERE cnp_key = @CnpKey;
        IF @@ROWCOUNT = 0
            INSERT INTO phone_access_locks (cnp_key, citizen_id, locked_at) VALUES (@CnpKey, @CitizenId, @At);
        """)]
    [TestCase("""
        MERGE phone_access_locks WITH (HOLDLOCK) AS l
        USING (SELECT @CnpKey AS cnp_key) AS s ON l.cnp_key = s.cnp_key
        WHEN MATCHED THEN UPDATE SET locked_at = @At, citizen_id = @CitizenId
        WHEN NOT MATCHED THEN INSERT (cnp_key, citizen_id, locked_at) VALUES (@CnpKey, @CitizenId, @At);
        """)]
    [TestCase("""
        UPDATE phone_access_locks WITH (UPDLOCK, HOLDLOCK) SET locked_at = NULL, unlocked_at = @At, unlocked_by = @By, citizen_id = @CitizenId
        WHERE cnp_key = @CnpKey;
        IF @@ROWCOUNT = 0
            INSERT INTO phone_access_locks (cnp_key, citizen_id, locked_at, unlocked_at, unlocked_by) VALUES (@CnpKey, @CitizenId, NULL, @At, @By);
        """)]
    public void The_t_sql_forms_proposed_for_the_refused_upserts_parse(string tsql)
    {
        Assert.That(Errors(Newest(), tsql, out _), Is.Empty);
        Assert.That(Errors(SqlServer2019(), tsql, out _), Is.Empty);
    }

    // ---- The statements built at run time ----

    /// <summary>
    /// The SQLite database of a test app, with a dialect that records every statement the unit of work renders (the real
    /// SQLite dialect answers). It is not SqliteDialect, so the code takes the paths it takes on the server databases.
    /// </summary>
    private sealed class RecordingDialect(Dialect inner) : Dialect
    {
        public ConcurrentDictionary<string, byte> Seen { get; } = new(StringComparer.Ordinal);
        public override string Name => inner.Name;
        // Marked, so the test can put SQL Server's own clause where the code put the dialect's (SQLite runs the comment).
        public const string LimitMark = "/* dialect limit clause */";
        public override string LimitClause => inner.LimitClause + " " + LimitMark;

        public override string InsertReturning(string table, string columns, string values, string returnedColumn)
        {
            // The timeline's portable path runs this text without Render: record what SQL Server's dialect would give.
            Seen.TryAdd(SqlServerDialect.Instance.InsertReturning(table, columns, values, returnedColumn), 0);
            return inner.InsertReturning(table, columns, values, returnedColumn);
        }

        public override bool IsUniqueViolation(DbException exception) => inner.IsUniqueViolation(exception);

        public override string Render(string sql)
        {
            Seen.TryAdd(sql, 0);
            return inner.Render(sql);
        }
    }

    private sealed class RecordingDatabase(IDatabase inner, RecordingDialect dialect) : IDatabase
    {
        public Dialect Dialect => dialect;
        public Task<DbConnection> OpenAsync(CancellationToken ct) => inner.OpenAsync(ct);
    }

    // The recording wraps SQLite's database; the statements are the same text on every database, so the SQLite run of
    // the suite records them all (the PostgreSQL run leaves it out, .ci/run).
    [Category("SqliteOnly")]
    [Test]
    public async Task The_statements_that_api_flows_build_at_run_time_render_to_t_sql_that_parses_without_errors()
    {
        var dialect = new RecordingDialect(SqliteDialect.Instance);
        // The demo city registers its cases only on its own clock (DemoClock), which it moves through the past year.
        using var app = new CrmTestApp(clock: new DemoClock(new FakeTimeProvider(new DateTimeOffset(2026, 5, 10, 9, 0, 0, TimeSpan.Zero))), testServices: services =>
        {
            services.RemoveAll<IDatabase>();
            services.AddSingleton<IDatabase>(sp => new RecordingDatabase(new SqliteDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>()), dialect));
        });
        // A small demo city registers citizens, cases of every kind and channel, mail, phone calls, map reports and
        // notifications through the mediator, and runs the jobs over them.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<RequestContext>().SystemActor = "demo-city";
            var generator = ActivatorUtilities.CreateInstance<DemoCityGenerator>(scope.ServiceProvider);
            await generator.GenerateAsync(7, citizenCount: 40, eventCount: 400, CancellationToken.None);
        }

        var admin = await app.ClientFor(StaffRole.Admin);
        var clients = new[] { admin, await app.ClientFor(StaffRole.Supervisor), await app.ClientFor(StaffRole.Dispatcher), await app.ClientFor(StaffRole.Clerk) };

        // Every job, run now.
        using (var jobs = JsonDocument.Parse(await admin.GetStringAsync("/api/jobs")))
            foreach (var job in jobs.RootElement.EnumerateArray())
                await admin.PostAsync($"/api/jobs/{job.GetProperty("name").GetString()}/run", null);

        // Every GET the API describes, with the path's parameters taken from the demo city, and the list filters that
        // add conditions to their statements.
        Guid citizen, caseId;
        long year, number;
        string? call;
        using (var db = app.OpenDatabase())
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = "SELECT (SELECT COUNT(*) FROM citizens) || ' citizens, ' || (SELECT COUNT(*) FROM cases) || ' cases, ' || " +
                              "(SELECT COUNT(*) FROM timeline_events) || ' events'";
            TestContext.Out.WriteLine("The demo city: " + cmd.ExecuteScalar());
            cmd.CommandText = "SELECT id FROM citizens ORDER BY national_id LIMIT 1";
            citizen = Guid.Parse(Convert.ToString(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!);
            cmd.CommandText = "SELECT id, year, number FROM cases ORDER BY year, number LIMIT 1";
            using (var r = cmd.ExecuteReader())
            {
                Assert.That(r.Read(), Is.True, "the demo city registered no case");
                (caseId, year, number) = (Guid.Parse(r.GetString(0)), r.GetInt64(1), r.GetInt64(2));
            }
            cmd.CommandText = "SELECT call_sid FROM ivr_calls LIMIT 1";
            call = cmd.ExecuteScalar() as string;
        }
        var paths = new List<string>();
        using (var openApi = JsonDocument.Parse(await admin.GetStringAsync("/openapi/v1.json")))
            foreach (var path in openApi.RootElement.GetProperty("paths").EnumerateObject())
                if (path.Value.TryGetProperty("get", out _)) paths.Add(path.Name);
        Assert.That(paths, Has.Count.GreaterThan(30));
        var filters = new[]
        {
            "/api/dispatch/queue?channel=map&department=Serviciul%20Salubrizare&assignee=nobody&overdue=true",
            "/api/notifications?status=failed&channel=email&kind=answer",
            "/api/cases?status=registered&kind=petition&channel=web",
            "/api/open311/v2/requests.json?status=open&service_code=pothole",
            "/api/public/map/incidents?bbox=20,43,30,49",
            $"/api/citizens/{citizen}/timeline?channel=desk&kind=case.registered&from=2020-01-01&to=2030-01-01",
            "/api/audit?actor=test-admin",
            "/api/citizens?q=pop",
        };
        foreach (var template in paths.Concat(filters))
        {
            var url = Regex.Replace(template, @"\{(\w+)(:\w+)?\}", m => m.Groups[1].Value switch
            {
                "id" when template.Contains("citizens", StringComparison.Ordinal) => citizen.ToString(),
                "id" or "caseId" => caseId.ToString(),
                "year" => year.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "number" => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "format" => "json",
                "code" => "general",
                "kind" => "acknowledgement",
                "language" => "ro",
                "correlation" => call ?? "none",
                _ => "x",
            });
            if (url.EndsWith("/stream", StringComparison.Ordinal)) continue; // a live stream never ends
            foreach (var client in clients)
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode != System.Net.HttpStatusCode.Forbidden) break;
            }
        }

        var limit = SqliteDialect.Instance.LimitClause + " " + RecordingDialect.LimitMark;
        var recorded = dialect.Seen.Keys.Select(sql => (Where: "recorded", Sql: sql.Replace(limit, SqlServerDialect.Instance.LimitClause, StringComparison.Ordinal))).ToList();
        var (failures, refused, parsed) = RenderAndParse(recorded);
        var fromCode = CollectStatements([]).Select(s => s.Sql).ToHashSet(StringComparer.Ordinal);
        var builtAtRunTime = recorded.Count(r => !fromCode.Contains(r.Sql));
        TestContext.Out.WriteLine($"{recorded.Count} distinct statements recorded, {builtAtRunTime} of them not a constant of the code; " +
                                  $"{parsed} rendered and parsed; {refused.Count} refused.");
        foreach (var r in refused) TestContext.Out.WriteLine("  " + r);
        TestContext.Out.WriteLine("Built at run time:");
        foreach (var (_, sql) in recorded.Where(r => !fromCode.Contains(r.Sql)).OrderBy(r => r.Sql, StringComparer.Ordinal))
            TestContext.Out.WriteLine("  " + Regex.Replace(sql, @"\s+", " ")[..Math.Min(160, Regex.Replace(sql, @"\s+", " ").Length)]);
        Assert.That(failures, Is.Empty, $"{failures.Count} recorded statements do not parse as T-SQL:\n" + string.Join("\n", failures));
        Assert.That(refused.Where(r => !r.Contains("ON CONFLICT (cnp_key)", StringComparison.Ordinal)), Is.Empty,
            "only the phone lockout's two upserts are known to need a handler change");
        Assert.That(builtAtRunTime, Is.GreaterThan(20));
    }
}
