using System.Security.Cryptography;
using System.Text;
using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using MailKit;
using MimeKit;
using MimeKit.Text;

namespace CitizenCrm.Core.Intake;

/// <summary>An attachment of an e-mail: checked by the desk's rules (<see cref="DocumentStore.ReadAsync"/>), kept or refused with the reason.</summary>
public sealed record EmailAttachment(string FileName, string ContentType, long SizeBytes, DocumentUpload? Upload, string? RefusedBecause);

/// <summary>
/// An e-mail read from the registry mailbox, reduced to what the registry keeps: who sent it, its subject and text,
/// what it replies to, and its attachments already checked. Every text is cleaned of control characters (mail clients
/// put form feeds and C1 codes in text) so the registration cannot be refused for them.
/// </summary>
public sealed record IncomingEmail
{
    /// <summary>The description of a case holds at most this much of the text (RegisterCase's limit).</summary>
    public const int MaxText = 20_000;

    public required string MessageKey { get; init; }
    /// <summary>Keys of the messages this one answers: In-Reply-To first, then References from the newest.</summary>
    public IReadOnlyList<string> RepliesTo { get; init; } = [];
    /// <summary>The sender's address in lower case; empty when the message has none.</summary>
    public required string FromAddress { get; init; }
    public string? FromName { get; init; }
    public required string Subject { get; init; }
    public string? Text { get; init; }
    /// <summary>The text was longer than <see cref="MaxText"/> and was cut.</summary>
    public bool TextShortened { get; init; }
    /// <summary>The Date header: when the sender's program says it was sent.</summary>
    public DateTimeOffset? SentAt { get; init; }
    /// <summary>A bounce or an auto-reply (RFC 3834 Auto-Submitted, a delivery report): never a petition of its own.</summary>
    public bool Automatic { get; init; }
    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];

    public IReadOnlyList<DocumentUpload> Uploads() => Attachments.Where(a => a.Upload is not null).Select(a => a.Upload!).ToList();

    /// <summary>The name to register the sender under: the display name, or the address when there is none.</summary>
    public string PartyName => string.IsNullOrWhiteSpace(FromName) ? FromAddress : FromName;

    /// <summary>Reads a message: its key, texts and attachments (each checked with the desk's allow-list and limit).</summary>
    public static async Task<IncomingEmail> ReadAsync(MimeMessage message, string messageKey, DocumentStore documents, CancellationToken ct)
    {
        var from = message.From.Mailboxes.FirstOrDefault() ?? message.Sender;
        var address = Clean.Line(from?.Address ?? "").ToLowerInvariant();
        var name = from?.Name is { } n && Clean.Line(n) is { Length: > 0 } cleanName ? Clean.Cut(cleanName, 200) : null;

        var text = message.TextBody;
        if (string.IsNullOrWhiteSpace(text) && message.HtmlBody is { } html)
            text = HtmlText.Of(html);
        text = Clean.Lines(text ?? "");
        var shortened = text.Length > MaxText;
        if (shortened) text = text[..(MaxText - 80)].TrimEnd() + "\n\n[…] (the e-mail's text was longer and was cut here)";

        var subject = Clean.Line(message.Subject ?? "");
        var replies = new List<string>();
        if (MailKeys.ForMessageId(message.InReplyTo) is { } parent) replies.Add(parent);
        foreach (var id in message.References.Reverse())
            if (MailKeys.ForMessageId(id) is { } key && !replies.Contains(key)) replies.Add(key);

        var attachments = new List<EmailAttachment>();
        foreach (var entity in message.BodyParts)
        {
            ct.ThrowIfCancellationRequested();
            switch (entity)
            {
                case TextPart body when !body.IsAttachment:
                    continue; // the text itself (plain or HTML), not an attachment
                case MessagePart forwarded:
                    attachments.Add(new EmailAttachment(
                        Clean.Cut(Clean.Line(forwarded.ContentDisposition?.FileName ?? forwarded.Message?.Subject ?? "forwarded e-mail"), 200),
                        "message/rfc822", 0, null,
                        "An e-mail attached to an e-mail is not kept: forward its documents as attachments (PDF, PNG, JPEG, DOCX or ODT)."));
                    continue;
                case MimePart part:
                    attachments.Add(await ReadAttachmentAsync(part, documents, ct));
                    continue;
            }
        }

        return new IncomingEmail
        {
            MessageKey = messageKey,
            RepliesTo = replies,
            FromAddress = address,
            FromName = name,
            Subject = subject.Length == 0 ? "(fără subiect)" : Clean.Cut(subject, 300),
            Text = text.Length == 0 ? null : text,
            TextShortened = shortened,
            SentAt = message.Date == DateTimeOffset.MinValue ? null : message.Date,
            Automatic = IsAutomatic(message),
            Attachments = attachments,
        };
    }

    private static async Task<EmailAttachment> ReadAttachmentAsync(MimePart part, DocumentStore documents, CancellationToken ct)
    {
        var fileName = Clean.Cut(Clean.Line(Path.GetFileName(part.FileName ?? "") is { Length: > 0 } f ? f : "(no name)"), 200);
        // Mail programs often label every file application/octet-stream; the name's extension says what it is meant
        // to be, and the desk's check of the first bytes still decides whether it is.
        var type = part.ContentType.MimeType.ToLowerInvariant();
        if (type is "application/octet-stream" or "application/x-download" or "application/force-download" && part.FileName is { } named)
            type = MimeTypes.GetMimeType(named).ToLowerInvariant();

        using var decoded = new MemoryStream();
        if (part.Content is not null) await part.Content.DecodeToAsync(decoded, ct);
        decoded.Position = 0;
        try
        {
            var upload = await documents.ReadAsync(decoded, type, ct);
            return new EmailAttachment(fileName, upload.ContentType, upload.SizeBytes, upload, null);
        }
        catch (DocumentRefusedException refused)
        {
            return new EmailAttachment(fileName, Clean.Cut(Clean.Line(type), 100), decoded.Length, null, refused.Message);
        }
    }

    private static bool IsAutomatic(MimeMessage message)
    {
        // RFC 3834 §5: anything but "no" is an automatic message (auto-replied, auto-generated).
        if (message.Headers[HeaderId.AutoSubmitted] is { } auto && !auto.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase)) return true;
        // RFC 6522: a delivery status notification (a bounce) is multipart/report.
        if (message.Body is MultipartReport) return true;
        if (message.Headers.Contains("X-Autoreply") || message.Headers.Contains("X-Autorespond")) return true;
        return message.Headers[HeaderId.Precedence] is { } precedence && precedence.Trim().Equals("auto_reply", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The keys under which messages are remembered (see sql/sqlite/0009_mail_intake.sql).</summary>
public static class MailKeys
{
    /// <summary>Message-IDs longer than this are kept as their hash (a header line may be 998 characters).</summary>
    public const int MaxMessageIdLength = 400;

    /// <summary>The key of a Message-ID: without angle brackets; a very long one as its hash. Null when there is none.</summary>
    public static string? ForMessageId(string? messageId)
    {
        var id = messageId?.Trim().TrimStart('<').TrimEnd('>').Trim();
        if (string.IsNullOrEmpty(id)) return null;
        return id.Length <= MaxMessageIdLength && ControlCharacters.Find(id, multiLine: false) is null ? id : "mid-sha256:" + Sha256(id);
    }

    /// <summary>
    /// The key of a message without a Message-ID: the hash of its IMAP envelope and size. A stored message never
    /// changes, so every poll computes the same key; the same message delivered again (or moved back to the inbox) too.
    /// </summary>
    public static string ForEnvelope(Envelope envelope, long size) =>
        "env-sha256:" + Sha256(envelope.ToString() + "\n" + size.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A short, stable name for a message, for the timeline's dedup keys and correlation (at most 100 characters).</summary>
    public static string Short(string messageKey) => "email:" + Sha256(messageKey)[..32];

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}

/// <summary>The text of an HTML-only e-mail, read with MimeKit's HTML tokenizer: block elements end lines, scripts and styles are left out.</summary>
internal static class HtmlText
{
    public static string Of(string html)
    {
        var tokenizer = new HtmlTokenizer(new StringReader(html));
        var sb = new StringBuilder(html.Length / 2);
        var hidden = 0;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag:
                    if (tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head or HtmlTagId.Title)
                    {
                        if (!tag.IsEmptyElement) hidden = Math.Max(0, hidden + (tag.IsEndTag ? -1 : 1));
                        continue;
                    }
                    // A <br> is a line break; a block starts or ends a line once (Gmail writes each line as a <div>).
                    if (tag.Id is HtmlTagId.Br) sb.Append('\n');
                    else if (tag.Id is HtmlTagId.P or HtmlTagId.Div or HtmlTagId.LI or HtmlTagId.TR or HtmlTagId.BlockQuote
                        or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.Table or HtmlTagId.UL or HtmlTagId.OL)
                    {
                        while (sb.Length > 0 && sb[^1] == ' ') sb.Length--;
                        if (sb.Length > 0 && sb[^1] != '\n') sb.Append('\n');
                    }
                    else if (tag.Id is HtmlTagId.TD or HtmlTagId.TH && !tag.IsEndTag) sb.Append('\t');
                    continue;
                case HtmlDataToken data when hidden == 0 && token.Kind == HtmlTokenKind.Data:
                    var words = System.Text.RegularExpressions.Regex.Replace(data.Data, @"[ \t\r\n]+", " ");
                    if (words == " " && (sb.Length == 0 || sb[^1] == '\n')) continue; // the layout's whitespace between blocks
                    sb.Append(words);
                    continue;
            }
        }
        var lines = sb.ToString().Split('\n').Select(l => l.Trim());
        return string.Join('\n', lines);
    }
}

/// <summary>Text from mail made safe for the registry: no control characters, lines as \n, lengths within the columns.</summary>
internal static class Clean
{
    /// <summary>One line: tabs and line breaks become spaces, runs of spaces one, control characters go.</summary>
    public static string Line(string text)
    {
        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in Visible(text, keepLines: false))
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Several lines: CR LF and CR become LF, tabs stay, other control characters go, at most two empty lines in a row.</summary>
    public static string Lines(string text)
    {
        var unified = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var sb = new StringBuilder(unified.Length);
        foreach (var c in Visible(unified, keepLines: true)) sb.Append(c);
        var result = sb.ToString();
        while (result.Contains("\n\n\n\n", StringComparison.Ordinal)) result = result.Replace("\n\n\n\n", "\n\n\n", StringComparison.Ordinal);
        return result.Trim();
    }

    public static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)].TrimEnd() + "…";

    private static IEnumerable<char> Visible(string text, bool keepLines)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n') { yield return keepLines ? c : ' '; continue; }
            if (c < 0x20 || c is >= '\u007F' and <= '\u009F') continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return c;
                yield return text[++i];
                continue;
            }
            if (char.IsSurrogate(c)) continue;
            yield return c;
        }
    }
}
