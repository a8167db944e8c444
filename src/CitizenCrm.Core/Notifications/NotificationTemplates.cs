using System.Globalization;
using Calendar = CitizenCrm.Core.Common.Calendar;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using CitizenCrm.Core.Timeline;
using Mediator;

namespace CitizenCrm.Core.Notifications;

public static class NotificationKinds
{
    public const string Acknowledgement = "acknowledgement", Forwarded = "forwarded", TermExtended = "term_extended",
        Answer = "answer", Escalation = "escalation";
    /// <summary>A map report's public step (assigned, work started, closed, ...) told to its reporter(s): Map/ReporterNotices.</summary>
    public const string StatusChanged = "status_changed";
    /// <summary>A data-subject request's term extended (GDPR art. 12(3)), told to the citizen: DataProtection/Requests.</summary>
    public const string RequestExtended = "request_extended";

    public static readonly IReadOnlyList<string> All = [Acknowledgement, Forwarded, TermExtended, Answer, Escalation,
        StatusChanged, RequestExtended];

    /// <summary>Kinds that may go by SMS: the answer needs its document (e-mail only), the escalation goes to staff mailboxes.</summary>
    public static bool MayGoBySms(string kind) => kind is Acknowledgement or Forwarded or TermExtended or RequestExtended;

    public static string Describe(string kind) => kind switch
    {
        Acknowledgement => "Acknowledgement",
        Forwarded => "Forward notice",
        TermExtended => "Extended-term notice",
        Answer => "Answer",
        StatusChanged => "Status notice",
        RequestExtended => "Data-request extension notice",
        _ => "Escalation notice",
    };
}

public static class NotificationChannels
{
    public const string Email = "email", Sms = "sms";
}

public static class NotificationStatuses
{
    public const string Pending = "pending", Sent = "sent", Failed = "failed";
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Pending, Sent, Failed };
}

/// <summary>
/// The template syntax: text with {placeholder}s, nothing else (no conditions, no loops, no escapes), so an admin
/// cannot break a notice and a saved template always renders. Each kind has its own placeholders; a placeholder the
/// kind does not know, or a stray brace, is refused when the template is saved.
/// </summary>
public static partial class TemplateText
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Placeholders = new Dictionary<string, IReadOnlyList<string>>
    {
        [NotificationKinds.Acknowledgement] = ["number", "date", "term", "subject", "name"],
        [NotificationKinds.Forwarded] = ["number", "date", "subject", "name", "forwarded_to"],
        [NotificationKinds.TermExtended] = ["number", "date", "term", "subject", "name", "reason"],
        [NotificationKinds.Answer] = ["number", "date", "subject", "name", "outgoing_number", "answer", "legal_basis", "signed_by"],
        [NotificationKinds.Escalation] = ["number", "subject", "term", "assignee", "department"],
        [NotificationKinds.StatusChanged] = ["number", "subject", "name", "status", "link"],
        [NotificationKinds.RequestExtended] = ["name", "request", "date", "term", "reason"],
    };

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex Token();

    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Token().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>Adds an error for each unknown placeholder or stray brace in <paramref name="text"/>.</summary>
    public static void Check(Validation v, string field, string kind, string? text)
    {
        if (text is null || !Placeholders.TryGetValue(kind, out var known)) return;
        var unknown = Token().Matches(text).Select(m => m.Groups[1].Value).Where(name => !known.Contains(name)).Distinct().ToList();
        if (unknown.Count > 0)
            v.Add(field, $"Unknown placeholder {string.Join(", ", unknown.Select(u => "{" + u + "}"))}. The {kind} texts may use: " +
                         $"{string.Join(", ", known.Select(k => "{" + k + "}"))}.");
        else if (Token().Replace(text, "").IndexOfAny(['{', '}']) is var at and >= 0)
            v.Add(field, $"A brace without its pair near character {at + 1}: braces only surround a placeholder such as {{number}}.");
    }

    /// <summary>A legal date as the reader's language writes it: 02.03.2026, 2 March 2026, 2026.03.02.</summary>
    public static string Date(DateOnly? date, string language) => date is not { } d ? "" : language switch
    {
        "en" => d.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB")),
        "hu" => d.ToString("yyyy.MM.dd.", CultureInfo.InvariantCulture),
        _ => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture),
    };
}

/// <summary>A template as admins read and write it.</summary>
public sealed record NotificationTemplate(string Kind, string Language, string Subject, string Body, string? Sms,
    IReadOnlyList<string> Placeholders, DateTimeOffset? UpdatedAt, string? UpdatedBy);

public sealed record NotificationTemplateChange(long Seq, DateTimeOffset ChangedAt, string Actor, string BeforeSubject, string BeforeBody,
    string? BeforeSms, string AfterSubject, string AfterBody, string? AfterSms);

public sealed record NotificationTemplateWithHistory(NotificationTemplate Template, IReadOnlyList<NotificationTemplateChange> Changes);

internal sealed record TemplateRow
{
    public const string Columns = "kind AS Kind, language AS Language, subject AS Subject, body AS Body, sms AS Sms, updated_at AS UpdatedAt, updated_by AS UpdatedBy";

    public string Kind { get; init; } = "";
    public string Language { get; init; } = "";
    public string Subject { get; init; } = "";
    public string Body { get; init; } = "";
    public string? Sms { get; init; }
    public long? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }

    public NotificationTemplate ToTemplate() => new(Kind, Language, Subject, Body, Sms, TemplateText.Placeholders[Kind],
        UpdatedAt is { } at ? Calendar.FromMs(at) : null, UpdatedBy);
}

internal static class TemplateStore
{
    private const string One = "SELECT " + TemplateRow.Columns + " FROM notification_templates WHERE kind = @Kind AND language = @Language";

    public static Task<TemplateRow?> FindAsync(UnitOfWork uow, string kind, string language, CancellationToken ct) =>
        uow.QuerySingleOrDefaultAsync<TemplateRow>(One, new { Kind = kind, Language = language }, ct);

    public static void ValidateKey(Validation v, string? kind, string? language)
    {
        if (kind is null || !NotificationKinds.All.Contains(kind)) v.Add("kind", $"The kind is one of: {string.Join(", ", NotificationKinds.All)}.");
        if (language is null || !Citizens.Languages.All.Contains(language)) v.Add("language", "The language is ro, en or hu.");
    }
}

public sealed record ListNotificationTemplates : IQuery<IReadOnlyList<NotificationTemplate>>;

public sealed class ListNotificationTemplatesHandler(UnitOfWork uow) : IQueryHandler<ListNotificationTemplates, IReadOnlyList<NotificationTemplate>>
{
    private const string All = "SELECT " + TemplateRow.Columns + " FROM notification_templates ORDER BY kind, language";

    public async ValueTask<IReadOnlyList<NotificationTemplate>> Handle(ListNotificationTemplates query, CancellationToken ct) =>
        (await uow.QueryAsync<TemplateRow>(All, null, ct))
            .OrderBy(t => NotificationKinds.All.ToList().IndexOf(t.Kind)).ThenBy(t => t.Language switch { "ro" => 0, "en" => 1, _ => 2 })
            .Select(t => t.ToTemplate()).ToList();
}

public sealed record GetNotificationTemplate(string? Kind, string? Language) : IQuery<NotificationTemplateWithHistory>, IValidatable
{
    public void Validate(Validation v) => TemplateStore.ValidateKey(v, Kind, Language);
}

public sealed class GetNotificationTemplateHandler(UnitOfWork uow) : IQueryHandler<GetNotificationTemplate, NotificationTemplateWithHistory>
{
    private const string Changes = """
        SELECT seq AS Seq, changed_at AS ChangedAt, actor AS Actor, before_subject AS BeforeSubject, before_body AS BeforeBody,
               before_sms AS BeforeSms, after_subject AS AfterSubject, after_body AS AfterBody, after_sms AS AfterSms
        FROM notification_template_changes WHERE kind = @Kind AND language = @Language ORDER BY seq DESC
        """;

    private sealed record ChangeRow
    {
        public long Seq { get; init; }
        public long ChangedAt { get; init; }
        public string Actor { get; init; } = "";
        public string BeforeSubject { get; init; } = "";
        public string BeforeBody { get; init; } = "";
        public string? BeforeSms { get; init; }
        public string AfterSubject { get; init; } = "";
        public string AfterBody { get; init; } = "";
        public string? AfterSms { get; init; }
    }

    public async ValueTask<NotificationTemplateWithHistory> Handle(GetNotificationTemplate query, CancellationToken ct)
    {
        var row = await TemplateStore.FindAsync(uow, query.Kind!, query.Language!, ct) ?? throw new NotFoundException("notification template", $"{query.Kind}/{query.Language}");
        var changes = await uow.QueryAsync<ChangeRow>(Changes, new { query.Kind, query.Language }, ct);
        return new(row.ToTemplate(), changes.Select(c => new NotificationTemplateChange(c.Seq, Calendar.FromMs(c.ChangedAt), c.Actor,
            c.BeforeSubject, c.BeforeBody, c.BeforeSms, c.AfterSubject, c.AfterBody, c.AfterSms)).ToList());
    }
}

/// <summary>An admin rewrites one template (kind and language). Notifications already queued keep the text they were given.</summary>
public sealed record SaveNotificationTemplate(string? Kind, string? Language, string? Subject, string? Body, string? Sms)
    : ICommand<NotificationTemplate>, IValidatable
{
    public const int MaxSms = 480;

    public void Validate(Validation v)
    {
        TemplateStore.ValidateKey(v, Kind, Language);
        if (v.Required("subject", Subject, "The e-mail subject")) v.MaxLength("subject", Subject, 300, "The subject");
        if (v.Required("body", Body, "The e-mail text")) v.MaxLength("body", Body, 20_000, "The text");
        v.MaxLength("sms", Sms, MaxSms, "The SMS text");
        if (Kind is null || !NotificationKinds.All.Contains(Kind)) return;
        if (NotificationKinds.MayGoBySms(Kind)) v.Required("sms", Sms, "The SMS text (sent to citizens who have only a mobile number)");
        else if (Sms is not null) v.Add("sms", $"A {Kind} goes only by e-mail: leave sms out.");
        TemplateText.Check(v, "subject", Kind, Subject);
        TemplateText.Check(v, "body", Kind, Body);
        TemplateText.Check(v, "sms", Kind, Sms);
    }
}

public sealed class SaveNotificationTemplateHandler(UnitOfWork uow, Timeline.Timeline timeline, RequestContext context, TimeProvider clock)
    : ICommandHandler<SaveNotificationTemplate, NotificationTemplate>
{
    private const string Update = """
        UPDATE notification_templates SET subject = @Subject, body = @Body, sms = @Sms, updated_at = @Now, updated_by = @Actor
        WHERE kind = @Kind AND language = @Language
        """;
    private const string Record = """
        INSERT INTO notification_template_changes (kind, language, changed_at, actor, before_subject, before_body, before_sms,
                                                   after_subject, after_body, after_sms)
        VALUES (@Kind, @Language, @Now, @Actor, @BeforeSubject, @BeforeBody, @BeforeSms, @Subject, @Body, @Sms)
        """;

    public async ValueTask<NotificationTemplate> Handle(SaveNotificationTemplate command, CancellationToken ct)
    {
        var before = await TemplateStore.FindAsync(uow, command.Kind!, command.Language!, ct)
            ?? throw new NotFoundException("notification template", $"{command.Kind}/{command.Language}");
        var subject = command.Subject!.Trim();
        var body = command.Body!.Trim();
        var sms = string.IsNullOrWhiteSpace(command.Sms) ? null : command.Sms.Trim();
        if (before.Subject == subject && before.Body == body && before.Sms == sms) return before.ToTemplate(); // nothing changed, nothing to record
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var values = new
        {
            command.Kind, command.Language, Subject = subject, Body = body, Sms = sms, Now = now, context.Actor,
            BeforeSubject = before.Subject, BeforeBody = before.Body, BeforeSms = before.Sms,
        };
        await uow.ExecuteAsync(Update, values, ct);
        await uow.ExecuteAsync(Record, values, ct);
        var changed = new[] { ("subject", before.Subject != subject), ("body", before.Body != body), ("sms", before.Sms != sms) }
            .Where(x => x.Item2).Select(x => x.Item1).ToList();
        await timeline.AppendAsync(new TimelineEntry
        {
            Kind = "notification.template_changed", Channel = Channels.System,
            Summary = $"Notification template {command.Kind} ({command.Language}) changed: {string.Join(", ", changed)}",
            Payload = new { command.Kind, command.Language, Changed = changed },
        }, ct);
        return (await TemplateStore.FindAsync(uow, command.Kind!, command.Language!, ct))!.ToTemplate();
    }
}
