using System.Net.Sockets;
using System.Text.RegularExpressions;
using CitizenCrm.Core.Cases;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace CitizenCrm.Core.Notifications;

/// <summary>What one send attempt came to. Permanent: the same message would fail again (bad address, refused number).</summary>
public sealed record SendOutcome(bool Sent, string? ProviderId, bool Permanent, string? Error)
{
    public static SendOutcome Accepted(string providerId) => new(true, providerId, false, null);
    public static SendOutcome Transient(string error) => new(false, null, false, error);
    public static SendOutcome Refused(string error) => new(false, null, true, error);
}

/// <summary>
/// Sends one claimed notification by e-mail (MailKit, SMTP) or SMS (Twilio's Messages API). Only the errors a network,
/// a mail server or Twilio can cause are caught and classified; anything else escapes, ends the run, and leaves the
/// claim to expire, as a crash would.
/// </summary>
public sealed partial class NotificationTransports(IOptionsMonitor<NotificationOptions> options, DocumentStore documents)
{
    private readonly Lock _httpLock = new();
    private (string BaseUrl, System.Net.Http.HttpClient Client)? _http;

    /// <summary>Tests only: runs after the provider accepted a message and before the outcome is recorded (a crash there).</summary>
    internal Action<Guid>? AfterAccepted { get; set; }

    public bool Configured(string channel) => channel == NotificationChannels.Email ? options.CurrentValue.Email.Configured : options.CurrentValue.Sms.Configured;

    public async Task<SendOutcome> SendAsync(NotificationToSend n, CancellationToken ct)
    {
        var outcome = n.Channel == NotificationChannels.Email ? await EmailAsync(n, ct) : await SmsAsync(n, ct);
        if (outcome.Sent) AfterAccepted?.Invoke(n.Id);
        return outcome with { Error = outcome.Error is null ? null : Scrub(outcome.Error, n.Recipient) };
    }

    /// <summary>
    /// The Message-ID is derived from the notification's id, so the same notification sent again (after a crash between the
    /// server's accept and our commit) carries the same Message-ID: the recipient's mail client and any archive see a
    /// duplicate of one message, not two notices. That is at-least-once delivery with a stable id; SMTP offers no way to ask
    /// a server "did you already accept this?", so exactly-once across that crash is not possible.
    /// </summary>
    public static string MessageIdOf(Guid id, string from)
    {
        var domain = MailboxAddress.TryParse(from, out var m) && m.Domain is { Length: > 0 } d ? d : "citizencrm.invalid";
        return $"notification-{id:N}@{domain}";
    }

    private async Task<SendOutcome> EmailAsync(NotificationToSend n, CancellationToken ct)
    {
        var o = options.CurrentValue.Email;
        MimeMessage message;
        try
        {
            message = new MimeMessage { Subject = n.Subject ?? "", MessageId = MessageIdOf(n.Id, o.From), Date = n.CreatedAt };
            message.From.Add(MailboxAddress.Parse(o.From));
            message.To.Add(new MailboxAddress(n.RecipientName ?? "", MailboxAddress.Parse(n.Recipient).Address));
        }
        catch (ParseException)
        {
            return SendOutcome.Refused("The recipient's e-mail address (or Notifications:Email:From) is not a valid address.");
        }
        message.Headers.Add("Auto-Submitted", "auto-generated"); // RFC 3834: no out-of-office replies to a robot
        var text = new TextPart("plain") { Text = n.Body };
        Stream? file = null;
        if (n.AttachmentSha256 is { } sha)
        {
            file = documents.Open(sha);
            if (file is null) return SendOutcome.Refused("The answer's document is missing from the document store.");
            var part = new MimePart(n.AttachmentType ?? "application/octet-stream")
            {
                Content = new MimeContent(file),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = n.AttachmentName ?? sha,
            };
            message.Body = new Multipart("mixed") { text, part };
        }
        else message.Body = text;

        try
        {
            using var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds };
            await client.ConnectAsync(o.Host!, o.Port, o.Security switch
            {
                MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                MailSecurity.Auto => SecureSocketOptions.Auto,
                MailSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            }, ct);
            if (!string.IsNullOrEmpty(o.User)) await client.AuthenticateAsync(o.User, o.Password ?? "", ct);
            await client.SendAsync(message, ct);
            await client.DisconnectAsync(true, CancellationToken.None);
            return SendOutcome.Accepted(message.MessageId);
        }
        catch (SmtpCommandException ex) when ((int)ex.StatusCode >= 500 && ex.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            // 5xx for this recipient or this message: the same message would be refused again (RFC 5321 4.2.1).
            return SendOutcome.Refused($"The mail server refused it ({(int)ex.StatusCode}): {ex.Message}");
        }
        catch (SmtpCommandException ex)
        {
            return SendOutcome.Transient($"The mail server answered {(int)ex.StatusCode}: {ex.Message}");
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException
                                       or SslHandshakeException or System.Security.Authentication.AuthenticationException or MailKit.Security.AuthenticationException
                                       or TimeoutException or ServiceNotAuthenticatedException or NotSupportedException
                                   || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return SendOutcome.Transient($"E-mail could not be sent ({ex.GetType().Name}): {ex.Message}");
        }
        finally
        {
            if (file is not null) await file.DisposeAsync();
        }
    }

    private async Task<SendOutcome> SmsAsync(NotificationToSend n, CancellationToken ct)
    {
        var o = options.CurrentValue.Sms;
        var client = new TwilioRestClient(o.AccountSid, o.AuthToken, o.AccountSid, httpClient: new SystemNetHttpClient(HttpFor(o)));
        var create = new CreateMessageOptions(new PhoneNumber(n.Recipient)) { Body = n.Body };
        if (o.From!.StartsWith("MG", StringComparison.Ordinal)) create.MessagingServiceSid = o.From;
        else create.From = new PhoneNumber(o.From);
        try
        {
            var message = await MessageResource.CreateAsync(create, client);
            return SendOutcome.Accepted(message.Sid);
        }
        catch (ApiException ex) when (ex.Status == 400)
        {
            // 400 is about this message (21211 invalid 'To', 21610 the recipient replied STOP, 21614 not a mobile number):
            // https://www.twilio.com/docs/api/errors. 401/403 (credentials), 429 and 5xx may pass: retried.
            return SendOutcome.Refused($"Twilio refused the SMS (error {ex.Code}): {ex.Message}");
        }
        catch (ApiException ex)
        {
            return SendOutcome.Transient($"Twilio answered {ex.Status} (error {ex.Code}): {ex.Message}");
        }
        catch (Exception ex) when (ex is ApiConnectionException or System.Net.Http.HttpRequestException or IOException or SocketException
                                       or TimeoutException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return SendOutcome.Transient($"Twilio could not be reached ({ex.GetType().Name}): {ex.Message}");
        }
    }

    /// <summary>
    /// One HttpClient per base URL, kept (a client per request would exhaust sockets). The Twilio library builds
    /// https://api.twilio.com/2010-04-01/... itself; the handler moves each request to the configured base URL, so a
    /// local stand-in (tests) or a proxy receives the very request Twilio would.
    /// </summary>
    private System.Net.Http.HttpClient HttpFor(SmsSettings o)
    {
        lock (_httpLock)
        {
            if (_http is { } h && h.BaseUrl == o.BaseUrl) return h.Client;
            var client = new System.Net.Http.HttpClient(new BaseUrlHandler(new Uri(o.BaseUrl)) { InnerHandler = new System.Net.Http.SocketsHttpHandler() })
            {
                Timeout = o.Timeout,
            };
            _http = (o.BaseUrl, client);
            return client;
        }
    }

    private sealed class BaseUrlHandler(Uri baseUrl) : System.Net.Http.DelegatingHandler
    {
        protected override Task<System.Net.Http.HttpResponseMessage> SendAsync(System.Net.Http.HttpRequestMessage request, CancellationToken ct)
        {
            if (request.RequestUri is { } uri)
                request.RequestUri = new UriBuilder(uri) { Scheme = baseUrl.Scheme, Host = baseUrl.Host, Port = baseUrl.Port }.Uri;
            return base.SendAsync(request, ct);
        }
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+|\+?\d[\d ]{6,}\d")]
    private static partial Regex Personal();

    /// <summary>Errors are stored and shown to dispatchers: no address or number in them (servers and Twilio like to quote both).</summary>
    internal static string Scrub(string error, string recipient)
    {
        var s = Personal().Replace(error.Replace(recipient, "(recipient)", StringComparison.OrdinalIgnoreCase), "(…)");
        s = s.ReplaceLineEndings(" ");
        return s.Length > 500 ? s[..500] : s;
    }
}
