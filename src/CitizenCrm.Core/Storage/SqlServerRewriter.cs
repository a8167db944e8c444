namespace CitizenCrm.Core.Storage;

/// <summary>
/// Rewrites the SQL that the handlers share between SQLite and PostgreSQL into T-SQL. It works on tokens, never inside a
/// string literal, a quoted name or a comment, and knows the nesting of parentheses, so a LIMIT in a subquery and one at
/// the end of the statement each get the form their own query needs:
/// <list type="bullet">
/// <item>LIMIT n after an ORDER BY of the same query: OFFSET 0 ROWS FETCH NEXT n ROWS ONLY; LIMIT n OFFSET m likewise;</item>
/// <item>LIMIT n in a query without ORDER BY (a batch of ids to delete, a single row): SELECT TOP (n); on a UNION without
///   ORDER BY: SELECT TOP (n) * FROM (the union) AS limited_rows;</item>
/// <item>INSERT/UPDATE/DELETE ... RETURNING a, b: OUTPUT INSERTED.a, INSERTED.b (DELETED. for a DELETE) in its T-SQL place;</item>
/// <item>a || b: CAST(a AS nvarchar(max)) + b (NULL still gives NULL, as || does; CONCAT would turn it into '');</item>
/// <item>COUNT(...) as COUNT_BIG(...): the code reads counts as Int64 (SQLite's and PostgreSQL's type), and Dapper maps
///   positional records by exact type, so an int from COUNT would not bind; for the same reason an integer literal
///   selected as a column, and a CASE whose results are all integer literals, are CAST to BIGINT;</item>
/// <item>'...' as N'...' (Romanian and Hungarian letters outside any code page);</item>
/// <item>length, substr, ifnull, TRUE, FALSE, CAST(... AS TEXT / INTEGER / REAL), WITH RECURSIVE, and
///   CREATE TABLE IF NOT EXISTS.</item>
/// </list>
/// The two upserts of the common SQL become T-SQL first (ON CONFLICT (key) DO NOTHING, and DO UPDATE SET without
/// excluded.*). What has no mechanical T-SQL form (any other ON CONFLICT, INSERT OR ..., PostgreSQL's :: casts, LIMIT ... OFFSET without
/// ORDER BY) throws <see cref="NotSupportedException"/> with the statement, so it never runs half-translated.
/// </summary>
public static class SqlServerRewriter
{
    private enum Kind { Space, Comment, Word, Name, String, Number, Parameter, Symbol }

    private sealed record Token(Kind Kind, string Text)
    {
        public bool Is(string word) => Kind == Kind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);
        public bool IsSymbol(string symbol) => Kind == Kind.Symbol && Text == symbol;
        public bool Blank => Kind is Kind.Space or Kind.Comment;
    }

    public static string Rewrite(string sql)
    {
        sql = OnConflict(sql);
        var tokens = Tokenize(sql);
        Refuse(tokens, sql);
        MapWords(tokens);
        BigIntegers(tokens);
        Concatenations(tokens, sql);
        Limits(tokens, sql);
        Returning(tokens, sql);
        CreateIfNotExists(tokens);
        UnicodeLiterals(tokens);
        return string.Concat(tokens.Select(t => t.Text));
    }

    private static readonly System.Text.RegularExpressions.Regex InsertOnConflict = new(
        @"^\s*INSERT\s+INTO\s+(?<table>\w+)\s*\((?<columns>[^()]+)\)\s*VALUES\s*\((?<values>[^()]+)\)\s*ON\s+CONFLICT\s*\((?<keys>[^()]+)\)\s*" +
        @"DO\s+(?:NOTHING|UPDATE\s+SET\s+(?<set>[^;()]+?))\s*;?\s*$",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// The two upserts of the common SQL, in T-SQL. Both hold the key's range until the transaction ends, so a second
    /// node writing the same key waits and then finds the row, as PostgreSQL's ON CONFLICT does:
    /// <list type="bullet">
    /// <item>DO NOTHING (the year's counter row, an idempotency key): an INSERT unless the key is there, checked under
    /// UPDLOCK, HOLDLOCK;</item>
    /// <item>DO UPDATE SET with parameters and literals only (the phone lockout's two): a MERGE WITH (HOLDLOCK), since
    /// MERGE alone does not hold the key's range.</item>
    /// </list>
    /// Any other shape (an update reading excluded.*, a key not among the columns) is left for Refuse to name.
    /// </summary>
    private static string OnConflict(string sql)
    {
        var m = InsertOnConflict.Match(sql);
        if (!m.Success) return sql;
        var columns = m.Groups["columns"].Value.Split(',').Select(c => c.Trim()).ToList();
        var values = m.Groups["values"].Value.Split(',').Select(v => v.Trim()).ToList();
        var keys = m.Groups["keys"].Value.Split(',').Select(k => k.Trim()).ToList();
        var set = m.Groups["set"];
        if (columns.Count != values.Count || keys.Any(k => !columns.Contains(k))
            || set.Value.Contains("excluded.", StringComparison.OrdinalIgnoreCase)) return sql;
        var table = m.Groups["table"].Value;
        if (!set.Success)
            return $"INSERT INTO {table} ({string.Join(", ", columns)}) SELECT {string.Join(", ", values)} " +
                   $"WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {string.Join(" AND ", keys.Select(k => $"{k} = {values[columns.IndexOf(k)]}"))})";
        return $"MERGE INTO {table} WITH (HOLDLOCK) AS existing " +
               $"USING (SELECT {string.Join(", ", columns.Select((c, i) => $"{values[i]} AS {c}"))}) AS incoming " +
               $"ON {string.Join(" AND ", keys.Select(k => $"existing.{k} = incoming.{k}"))} " +
               $"WHEN MATCHED THEN UPDATE SET {set.Value.Trim()} " +
               $"WHEN NOT MATCHED THEN INSERT ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "incoming." + c))});";
    }

    private static NotSupportedException Unsupported(string why, string sql) =>
        new($"SQL Server: {why}. The statement needs its own T-SQL form (see notes on the SQL Server dialect):{Environment.NewLine}{sql}");

    private static List<Token> Tokenize(string sql)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            var start = i;
            Kind kind;
            if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i])) i++;
                kind = Kind.Space;
            }
            else if (c == '-' && At(sql, i + 1, '-'))
            {
                while (i < sql.Length && sql[i] != '\n') i++;
                kind = Kind.Comment;
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                kind = Kind.Comment;
            }
            else if (c is '\'' or '"' or '[')
            {
                var close = c == '[' ? ']' : c;
                i++;
                while (i < sql.Length)
                {
                    if (sql[i] == close && At(sql, i + 1, close) && c != '[') { i += 2; continue; }
                    if (sql[i] == close) { i++; break; }
                    i++;
                }
                kind = c == '\'' ? Kind.String : Kind.Name;
            }
            else if (c is '@' or ':' && i + 1 < sql.Length && IsWordChar(sql[i + 1]) && !(c == ':' && At(sql, i - 1, ':')))
            {
                i++;
                while (i < sql.Length && IsWordChar(sql[i])) i++;
                kind = Kind.Parameter;
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < sql.Length && (char.IsAsciiDigit(sql[i]) || sql[i] == '.')) i++;
                kind = Kind.Number;
            }
            else if (IsWordChar(c))
            {
                while (i < sql.Length && IsWordChar(sql[i])) i++;
                kind = Kind.Word;
            }
            else
            {
                var two = i + 1 < sql.Length ? sql.Substring(i, 2) : "";
                i += two is "||" or "<>" or "<=" or ">=" or "!=" or "::" ? 2 : 1;
                kind = Kind.Symbol;
            }
            tokens.Add(new Token(kind, sql[start..i]));
        }
        return tokens;
    }

    private static bool At(string s, int i, char c) => i >= 0 && i < s.Length && s[i] == c;
    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static int Next(List<Token> t, int i)
    {
        i++;
        while (i < t.Count && t[i].Blank) i++;
        return i;
    }

    private static int Previous(List<Token> t, int i)
    {
        i--;
        while (i >= 0 && t[i].Blank) i--;
        return i;
    }

    /// <summary>The index of the parenthesis that closes the one at <paramref name="open"/>.</summary>
    private static int Closing(List<Token> t, int open)
    {
        var depth = 0;
        for (var i = open; i < t.Count; i++)
        {
            if (t[i].IsSymbol("(")) depth++;
            else if (t[i].IsSymbol(")") && --depth == 0) return i;
        }
        throw new InvalidOperationException("Unbalanced parentheses in a statement.");
    }

    private static int Opening(List<Token> t, int close)
    {
        var depth = 0;
        for (var i = close; i >= 0; i--)
        {
            if (t[i].IsSymbol(")")) depth++;
            else if (t[i].IsSymbol("(") && --depth == 0) return i;
        }
        throw new InvalidOperationException("Unbalanced parentheses in a statement.");
    }

    private static void Refuse(List<Token> t, string sql)
    {
        for (var i = 0; i < t.Count; i++)
        {
            var n = Next(t, i);
            if (t[i].Is("ON") && n < t.Count && t[n].Is("CONFLICT"))
                throw Unsupported("INSERT ... ON CONFLICT (an upsert) has no T-SQL form; it needs a MERGE or an UPDATE, then an INSERT when no row changed", sql);
            if (t[i].Is("INSERT") && n < t.Count && t[n].Is("OR"))
                throw Unsupported("INSERT OR IGNORE/REPLACE is SQLite's own", sql);
            if (t[i].IsSymbol("::"))
                throw Unsupported("PostgreSQL's :: cast; write CAST(x AS type)", sql);
        }
    }

    private static void MapWords(List<Token> t)
    {
        // The name of the function each open parenthesis belongs to (null: a plain group or a subquery).
        var calls = new Stack<string?>();
        for (var i = 0; i < t.Count; i++)
        {
            var token = t[i];
            if (token.IsSymbol("("))
            {
                var p = Previous(t, i);
                calls.Push(p >= 0 && t[p].Kind == Kind.Word ? t[p].Text.ToUpperInvariant() : null);
                continue;
            }
            if (token.IsSymbol(")"))
            {
                if (calls.Count > 0) calls.Pop();
                continue;
            }
            if (token.Kind != Kind.Word) continue;
            var next = Next(t, i);
            var isCall = next < t.Count && t[next].IsSymbol("(");
            var previous = Previous(t, i);
            var afterAs = previous >= 0 && t[previous].Is("AS");
            var inCast = calls.Count > 0 && calls.Peek() == "CAST";
            var upper = token.Text.ToUpperInvariant();
            string? replacement = upper switch
            {
                "TRUE" when !isCall => "1",
                "FALSE" when !isCall => "0",
                "COUNT" when isCall => "COUNT_BIG",
                "LENGTH" when isCall => "LEN",
                "IFNULL" when isCall => "ISNULL",
                "SUBSTR" when isCall => "SUBSTRING",
                "TEXT" when afterAs && inCast => "nvarchar(max)",
                "INTEGER" when afterAs && inCast => "BIGINT",
                "REAL" when afterAs && inCast => "float",
                _ => null,
            };
            // An alias that T-SQL reserves (Public, Key) is a syntax error unquoted; Dapper matches [Public] to Public all the same.
            if (replacement is null && afterAs && !inCast && Reserved.Contains(token.Text)) replacement = "[" + token.Text + "]";
            if (replacement is not null) t[i] = new Token(Kind.Word, replacement);
            if (upper == "SUBSTR" && isCall) CompleteSubstring(t, next);
            if (upper == "RECURSIVE" && previous >= 0 && t[previous].Is("WITH")) t[i] = new Token(Kind.Space, "");
        }
    }

    /// <summary>
    /// SQLite returns every integer as 64 bits, so the code reads them as Int64, and Dapper binds positional records by
    /// exact type; SQL Server types an integer literal as int. A literal selected as a column (1 AS SortRank) and a CASE
    /// whose every result is an integer literal (CASE WHEN ... THEN 1 ELSE 0 END, also inside SUM) become BIGINT.
    /// </summary>
    private static void BigIntegers(List<Token> t)
    {
        for (var i = t.Count - 1; i >= 0; i--)
        {
            if (t[i].Is("CASE"))
            {
                var end = CaseEnd(t, i);
                if (!AllResultsAreIntegers(t, i, end) || AlreadyCast(t, i)) continue;
                t.InsertRange(end + 1, [new Token(Kind.Space, " "), new Token(Kind.Word, "AS"), new Token(Kind.Space, " "),
                    new Token(Kind.Word, "BIGINT"), new Token(Kind.Symbol, ")")]);
                t.InsertRange(i, [new Token(Kind.Word, "CAST"), new Token(Kind.Symbol, "(")]);
            }
            else if (IsInteger(t[i]))
            {
                var previous = Previous(t, i);
                var next = Next(t, i);
                if (next >= t.Count || !t[next].Is("AS") || previous < 0) continue;
                if (!(t[previous].Is("SELECT") || t[previous].Is("DISTINCT") || t[previous].IsSymbol(","))) continue;
                t.InsertRange(i + 1, [new Token(Kind.Space, " "), new Token(Kind.Word, "AS"), new Token(Kind.Space, " "),
                    new Token(Kind.Word, "BIGINT"), new Token(Kind.Symbol, ")")]);
                t.InsertRange(i, [new Token(Kind.Word, "CAST"), new Token(Kind.Symbol, "(")]);
            }
        }
    }

    private static bool IsInteger(Token t) => t.Kind == Kind.Number && !t.Text.Contains('.', StringComparison.Ordinal);

    private static bool AlreadyCast(List<Token> t, int i)
    {
        var open = Previous(t, i);
        return open >= 0 && t[open].IsSymbol("(") && Previous(t, open) is var cast and >= 0 && t[cast].Is("CAST");
    }

    private static bool AllResultsAreIntegers(List<Token> t, int start, int end)
    {
        var results = 0;
        var parens = 0;
        var cases = 0;
        for (var k = start + 1; k < end; k++)
        {
            if (t[k].IsSymbol("(")) parens++;
            else if (t[k].IsSymbol(")")) parens--;
            else if (t[k].Is("CASE")) cases++;
            else if (t[k].Is("END")) cases--;
            else if (parens == 0 && cases == 0 && (t[k].Is("THEN") || t[k].Is("ELSE")))
            {
                results++;
                var value = Next(t, k);
                var after = Next(t, value);
                if (!(value < end && IsInteger(t[value]) && (after == end || t[after].Is("WHEN") || t[after].Is("ELSE")))) return false;
            }
        }
        return results > 0;
    }

    /// <summary>SQLite's substr(x, start) reads to the end; T-SQL's SUBSTRING needs the length.</summary>
    private static void CompleteSubstring(List<Token> t, int open)
    {
        var close = Closing(t, open);
        var commas = 0;
        var depth = 0;
        for (var i = open + 1; i < close; i++)
        {
            if (t[i].IsSymbol("(")) depth++;
            else if (t[i].IsSymbol(")")) depth--;
            else if (depth == 0 && t[i].IsSymbol(",")) commas++;
        }
        if (commas == 1) t.InsertRange(close, [new Token(Kind.Symbol, ","), new Token(Kind.Space, " "), new Token(Kind.Number, "2147483647")]);
    }

    /// <summary>a || b || c becomes (CAST(a AS nvarchar(max)) + N'...' + CAST(c AS nvarchar(max))).</summary>
    private static void Concatenations(List<Token> t, string sql)
    {
        for (var bar = t.FindIndex(x => x.IsSymbol("||")); bar >= 0; bar = t.FindIndex(x => x.IsSymbol("||")))
        {
            var operands = new List<(int From, int To)>();
            var from = OperandStart(t, Previous(t, bar), sql);
            var to = Previous(t, bar);
            operands.Add((from, to));
            var at = bar;
            while (at < t.Count && t[at].IsSymbol("||"))
            {
                var start = Next(t, at);
                var end = OperandEnd(t, start, sql);
                operands.Add((start, end));
                at = Next(t, end);
            }
            var last = operands[^1].To;
            var rewritten = new List<Token> { new(Kind.Symbol, "(") };
            for (var k = 0; k < operands.Count; k++)
            {
                if (k > 0) rewritten.AddRange([new Token(Kind.Space, " "), new Token(Kind.Symbol, "+"), new Token(Kind.Space, " ")]);
                var (a, b) = operands[k];
                var operand = t.GetRange(a, b - a + 1);
                if (operand is [{ Kind: Kind.String }]) rewritten.Add(new Token(Kind.String, "N" + operand[0].Text));
                else
                {
                    rewritten.Add(new Token(Kind.Word, "CAST"));
                    rewritten.Add(new Token(Kind.Symbol, "("));
                    rewritten.AddRange(operand);
                    rewritten.Add(new Token(Kind.Space, " "));
                    rewritten.Add(new Token(Kind.Word, "AS"));
                    rewritten.Add(new Token(Kind.Space, " "));
                    rewritten.Add(new Token(Kind.Word, "nvarchar(max)"));
                    rewritten.Add(new Token(Kind.Symbol, ")"));
                }
            }
            rewritten.Add(new Token(Kind.Symbol, ")"));
            t.RemoveRange(from, last - from + 1);
            t.InsertRange(from, rewritten);
        }
    }

    // || binds tighter than any other operator in SQLite and PostgreSQL, so each operand is a primary: a literal, a
    // parameter, a (dotted) name, a function call, a parenthesised expression or a CASE ... END.
    private static int OperandStart(List<Token> t, int end, string sql)
    {
        if (end < 0) throw Unsupported("|| without a left operand", sql);
        var e = t[end];
        if (e.IsSymbol(")"))
        {
            var open = Opening(t, end);
            var p = Previous(t, open);
            return p >= 0 && t[p].Kind == Kind.Word && !IsKeyword(t[p]) ? DottedStart(t, p) : open;
        }
        if (e.Is("END")) return CaseStart(t, end);
        if (e.Kind is Kind.Word or Kind.Name) return DottedStart(t, end);
        if (e.Kind is Kind.String or Kind.Number or Kind.Parameter) return end;
        throw Unsupported($"an operand of || that is not a simple expression ('{e.Text}')", sql);
    }

    private static int OperandEnd(List<Token> t, int start, string sql)
    {
        if (start >= t.Count) throw Unsupported("|| without a right operand", sql);
        var s = t[start];
        if (s.IsSymbol("(")) return Closing(t, start);
        if (s.Is("CASE")) return CaseEnd(t, start);
        if (s.Is("CAST") || (s.Kind == Kind.Word && !IsKeyword(s)))
        {
            var i = start;
            while (i + 2 < t.Count && t[i + 1].IsSymbol(".") && t[i + 2].Kind is Kind.Word or Kind.Name) i += 2;
            var n = Next(t, i);
            return n < t.Count && t[n].IsSymbol("(") ? Closing(t, n) : i;
        }
        if (s.Kind is Kind.Name or Kind.String or Kind.Number or Kind.Parameter) return start;
        throw Unsupported($"an operand of || that is not a simple expression ('{s.Text}')", sql);
    }

    private static int DottedStart(List<Token> t, int i)
    {
        while (i - 2 >= 0 && t[i - 1].IsSymbol(".") && t[i - 2].Kind is Kind.Word or Kind.Name) i -= 2;
        return i;
    }

    private static int CaseStart(List<Token> t, int end)
    {
        var depth = 0;
        for (var i = end; i >= 0; i--)
        {
            if (t[i].Is("END")) depth++;
            else if (t[i].Is("CASE") && --depth == 0) return i;
        }
        throw new InvalidOperationException("END without CASE in a statement.");
    }

    private static int CaseEnd(List<Token> t, int start)
    {
        var depth = 0;
        for (var i = start; i < t.Count; i++)
        {
            if (t[i].Is("CASE")) depth++;
            else if (t[i].Is("END") && --depth == 0) return i;
        }
        throw new InvalidOperationException("CASE without END in a statement.");
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "EXISTS", "ON", "AS", "THEN", "ELSE", "WHEN", "CASE", "END", "BY",
        "SET", "VALUES", "IS", "NULL", "LIKE", "BETWEEN", "JOIN", "UNION", "ALL", "DISTINCT", "HAVING", "LIMIT", "OFFSET",
        "RETURNING", "INTO", "USING", "WITH", "ORDER", "GROUP",
    };

    // T-SQL's reserved keywords (Transact-SQL reference, "Reserved keywords"), which cannot name anything unquoted.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "ADD", "ALL", "ALTER", "AND", "ANY", "AS", "ASC", "AUTHORIZATION", "BACKUP", "BEGIN", "BETWEEN", "BREAK", "BROWSE",
        "BULK", "BY", "CASCADE", "CASE", "CHECK", "CHECKPOINT", "CLOSE", "CLUSTERED", "COALESCE", "COLLATE", "COLUMN", "COMMIT",
        "COMPUTE", "CONSTRAINT", "CONTAINS", "CONTAINSTABLE", "CONTINUE", "CONVERT", "CREATE", "CROSS", "CURRENT",
        "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "CURRENT_USER", "CURSOR", "DATABASE", "DBCC", "DEALLOCATE",
        "DECLARE", "DEFAULT", "DELETE", "DENY", "DESC", "DISK", "DISTINCT", "DISTRIBUTED", "DOUBLE", "DROP", "DUMP", "ELSE",
        "END", "ERRLVL", "ESCAPE", "EXCEPT", "EXEC", "EXECUTE", "EXISTS", "EXIT", "EXTERNAL", "FETCH", "FILE", "FILLFACTOR",
        "FOR", "FOREIGN", "FREETEXT", "FREETEXTTABLE", "FROM", "FULL", "FUNCTION", "GOTO", "GRANT", "GROUP", "HAVING",
        "HOLDLOCK", "IDENTITY", "IDENTITY_INSERT", "IDENTITYCOL", "IF", "IN", "INDEX", "INNER", "INSERT", "INTERSECT", "INTO",
        "IS", "JOIN", "KEY", "KILL", "LEFT", "LIKE", "LINENO", "LOAD", "MERGE", "NATIONAL", "NOCHECK", "NONCLUSTERED", "NOT",
        "NULL", "NULLIF", "OF", "OFF", "OFFSETS", "ON", "OPEN", "OPENDATASOURCE", "OPENQUERY", "OPENROWSET", "OPENXML",
        "OPTION", "OR", "ORDER", "OUTER", "OVER", "PERCENT", "PIVOT", "PLAN", "PRECISION", "PRIMARY", "PRINT", "PROC",
        "PROCEDURE", "PUBLIC", "RAISERROR", "READ", "READTEXT", "RECONFIGURE", "REFERENCES", "REPLICATION", "RESTORE",
        "RESTRICT", "RETURN", "REVERT", "REVOKE", "RIGHT", "ROLLBACK", "ROWCOUNT", "ROWGUIDCOL", "RULE", "SAVE", "SCHEMA",
        "SECURITYAUDIT", "SELECT", "SESSION_USER", "SET", "SETUSER", "SHUTDOWN", "SOME", "STATISTICS", "SYSTEM_USER", "TABLE",
        "TABLESAMPLE", "TEXTSIZE", "THEN", "TO", "TOP", "TRAN", "TRANSACTION", "TRIGGER", "TRUNCATE", "TRY_CONVERT", "TSEQUAL",
        "UNION", "UNIQUE", "UNPIVOT", "UPDATE", "UPDATETEXT", "USE", "USER", "VALUES", "VARYING", "VIEW", "WAITFOR", "WHEN",
        "WHERE", "WHILE", "WITH", "WRITETEXT",
    };

    private static bool IsKeyword(Token t) => t.Kind == Kind.Word && Keywords.Contains(t.Text);

    /// <summary>The depth of parentheses at each token (a parenthesis itself counts as outside).</summary>
    private static int[] Depths(List<Token> t)
    {
        var depths = new int[t.Count];
        var depth = 0;
        for (var i = 0; i < t.Count; i++)
        {
            if (t[i].IsSymbol(")")) depth--;
            depths[i] = depth;
            if (t[i].IsSymbol("(")) depth++;
        }
        return depths;
    }

    private static void Limits(List<Token> t, string sql)
    {
        for (var limit = t.FindIndex(x => x.Is("LIMIT")); limit >= 0; limit = t.FindIndex(x => x.Is("LIMIT")))
        {
            var depths = Depths(t);
            var depth = depths[limit];
            // The query the LIMIT ends: back to the parenthesis that opens it, or the start of the statement.
            var start = limit;
            while (start > 0 && !(depths[start - 1] < depth) && !t[start - 1].IsSymbol(";")) start--;
            var count = ValueAt(t, Next(t, limit), sql, out var countEnd);
            var end = countEnd;
            List<Token>? offset = null;
            var o = Next(t, countEnd);
            if (o < t.Count && t[o].Is("OFFSET"))
            {
                offset = ValueAt(t, Next(t, o), sql, out end);
            }
            var orderBy = false;
            var compound = false;
            int? select = null;
            for (var i = start; i < limit; i++)
            {
                if (depths[i] != depth) continue;
                if (t[i].Is("ORDER") && Next(t, i) < t.Count && t[Next(t, i)].Is("BY")) orderBy = true;
                if (t[i].Is("UNION") || t[i].Is("EXCEPT") || t[i].Is("INTERSECT")) compound = true;
                if (t[i].Is("SELECT")) select ??= i;
            }
            List<Token> replacement;
            if (orderBy)
            {
                replacement = [new(Kind.Word, "OFFSET"), new(Kind.Space, " "), .. offset ?? [new Token(Kind.Number, "0")],
                    new(Kind.Space, " "), new(Kind.Word, "ROWS FETCH NEXT"), new(Kind.Space, " "), .. count,
                    new(Kind.Space, " "), new(Kind.Word, "ROWS ONLY")];
                t.RemoveRange(limit, end - limit + 1);
                t.InsertRange(limit, replacement);
                continue;
            }
            if (offset is not null) throw Unsupported("LIMIT ... OFFSET without ORDER BY (T-SQL's OFFSET belongs to ORDER BY)", sql);
            if (select is null) throw Unsupported("LIMIT without a SELECT in its query", sql);
            if (compound)
            {
                // The LIMIT of a UNION takes from the whole union (the retention's batch of tokens expired or revoked): the
                // union becomes a derived table, and TOP takes from it.
                var cutCompound = limit;
                while (cutCompound > start && t[cutCompound - 1].Kind == Kind.Space) cutCompound--;
                var union = t.GetRange(start, cutCompound - start);
                t.RemoveRange(start, end - start + 1);
                t.InsertRange(start, [new Token(Kind.Word, "SELECT TOP"), new Token(Kind.Space, " "), new Token(Kind.Symbol, "("), .. count,
                    new Token(Kind.Symbol, ")"), new Token(Kind.Word, " * FROM "), new Token(Kind.Symbol, "("), .. union,
                    new Token(Kind.Symbol, ")"), new Token(Kind.Word, " AS limited_rows")]);
                continue;
            }
            // Without ORDER BY the rows are any n: TOP (n) after SELECT [DISTINCT | ALL].
            var cut = limit;
            while (cut > 0 && t[cut - 1].Kind == Kind.Space) cut--;
            t.RemoveRange(cut, end - cut + 1);
            var after = select.Value;
            var n = Next(t, after);
            if (n < t.Count && (t[n].Is("DISTINCT") || t[n].Is("ALL"))) after = n;
            t.InsertRange(after + 1, [new Token(Kind.Space, " "), new Token(Kind.Word, "TOP"), new Token(Kind.Space, " "),
                new Token(Kind.Symbol, "("), .. count, new Token(Kind.Symbol, ")")]);
        }
    }

    /// <summary>A row count: a number, a parameter, or an expression in parentheses.</summary>
    private static List<Token> ValueAt(List<Token> t, int i, string sql, out int end)
    {
        if (i < t.Count && t[i].Kind is Kind.Number or Kind.Parameter)
        {
            end = i;
            return [t[i]];
        }
        if (i < t.Count && t[i].IsSymbol("("))
        {
            end = Closing(t, i);
            return t.GetRange(i, end - i + 1);
        }
        throw Unsupported("LIMIT or OFFSET with other than a number, a parameter or a parenthesised expression", sql);
    }

    private static void Returning(List<Token> t, string sql)
    {
        var depths = Depths(t);
        var returning = Enumerable.Range(0, t.Count).FirstOrDefault(i => depths[i] == 0 && t[i].Is("RETURNING"), -1);
        if (returning < 0) return;
        var verb = Enumerable.Range(0, returning).FirstOrDefault(i => depths[i] == 0 && (t[i].Is("INSERT") || t[i].Is("UPDATE") || t[i].Is("DELETE")), -1);
        if (verb < 0) throw Unsupported("RETURNING outside an INSERT, UPDATE or DELETE", sql);
        var end = returning + 1;
        while (end < t.Count && !t[end].IsSymbol(";")) end++;
        var prefix = t[verb].Is("DELETE") ? "DELETED." : "INSERTED.";
        // The returned columns: names (with an alias) or *; an expression would need the same prefix inside it.
        var output = new List<Token> { new(Kind.Word, "OUTPUT"), new(Kind.Space, " ") };
        var expectName = true;
        for (var i = Next(t, returning); i < end; i = Next(t, i))
        {
            var token = t[i];
            if (expectName && (token.Kind is Kind.Word or Kind.Name || token.IsSymbol("*")))
            {
                output.Add(new Token(Kind.Word, prefix + token.Text));
                expectName = false;
            }
            else if (!expectName && token.IsSymbol(","))
            {
                output.Add(new Token(Kind.Symbol, ", "));
                expectName = true;
            }
            else if (!expectName && token.Is("AS"))
            {
                var alias = Next(t, i);
                output.Add(new Token(Kind.Word, " AS " + t[alias].Text));
                i = alias;
            }
            else throw Unsupported("RETURNING an expression (T-SQL's OUTPUT needs INSERTED./DELETED. inside it)", sql);
        }
        output.Add(new Token(Kind.Space, " "));
        // Drop "RETURNING ..." and the blank before it.
        var cut = returning;
        while (cut > 0 && t[cut - 1].Kind == Kind.Space) cut--;
        t.RemoveRange(cut, end - cut);
        int at;
        if (t[verb].Is("INSERT"))
        {
            // OUTPUT goes after the column list, before VALUES, SELECT or DEFAULT VALUES.
            var d = Depths(t);
            at = Enumerable.Range(verb, cut - verb).FirstOrDefault(i => d[i] == 0 && (t[i].Is("VALUES") || t[i].Is("SELECT") || t[i].Is("DEFAULT")), -1);
        }
        else
        {
            // UPDATE t SET ... OUTPUT ... FROM/WHERE; DELETE FROM t OUTPUT ... WHERE.
            var d = Depths(t);
            var set = t[verb].Is("UPDATE") ? Enumerable.Range(verb, cut - verb).First(i => t[i].Is("SET")) : Next(t, Next(t, verb));
            at = Enumerable.Range(set + 1, cut - set - 1).FirstOrDefault(i => d[i] == 0 && (t[i].Is("WHERE") || (t[verb].Is("UPDATE") && t[i].Is("FROM"))), -1);
            if (at < 0) at = cut;
        }
        if (at < 0) throw Unsupported("RETURNING on an INSERT without VALUES or SELECT", sql);
        if (at == cut) output.Insert(0, new Token(Kind.Space, " "));
        t.InsertRange(at, output);
    }

    /// <summary>
    /// A plain '...' literal is varchar in the database's code page, where ș and ț (and much of Hungarian) do not exist and
    /// turn into '?'. Every column is nvarchar, so N'...' also compares without converting the column.
    /// </summary>
    private static void UnicodeLiterals(List<Token> t)
    {
        for (var i = 0; i < t.Count; i++)
        {
            if (t[i].Kind != Kind.String || t[i].Text[0] != '\'') continue;
            if (i > 0 && t[i - 1].Kind == Kind.Word && t[i - 1].Text.Equals("N", StringComparison.OrdinalIgnoreCase)) continue;
            t[i] = new Token(Kind.String, "N" + t[i].Text);
        }
    }

    /// <summary>CREATE TABLE IF NOT EXISTS t (...) becomes IF OBJECT_ID(N't', N'U') IS NULL CREATE TABLE t (...).</summary>
    private static void CreateIfNotExists(List<Token> t)
    {
        var create = t.FindIndex(x => !x.Blank);
        if (create < 0 || !t[create].Is("CREATE")) return;
        var table = Next(t, create);
        var @if = Next(t, table);
        if (!(table < t.Count && t[table].Is("TABLE") && @if < t.Count && t[@if].Is("IF"))) return;
        var not = Next(t, @if);
        var exists = Next(t, not);
        var name = Next(t, exists);
        if (!(t[not].Is("NOT") && t[exists].Is("EXISTS"))) return;
        var tableName = t[name].Text;
        t.RemoveRange(@if, name - @if);
        t.Insert(create, new Token(Kind.Word, $"IF OBJECT_ID(N'{tableName.Replace("'", "''", StringComparison.Ordinal)}', N'U') IS NULL "));
    }
}
