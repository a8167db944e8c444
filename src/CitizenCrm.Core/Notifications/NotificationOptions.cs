namespace CitizenCrm.Core.Notifications;

/// <summary>
/// The "Notifications" section: how e-mail and SMS leave, and how the sender retries. Secrets (the SMTP password,
/// Twilio's auth token) belong in environment variables (Notifications__Email__Password, Notifications__Sms__AuthToken)
/// or a settings file only the service account reads, never in a committed appsettings.json.
/// </summary>
public sealed class NotificationOptions
{
    public EmailSettings Email { get; set; } = new();
    public SmsSettings Sms { get; set; } = new();

    /// <summary>Attempts before a notification is given up ('failed', shown in the dispatchers' queue).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>The wait after the first failed attempt; each later one doubles it (60 s, 2 min, 4 min, ... up to MaxRetryDelay).</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>
    /// How long a run holds a notification it claimed. A run that died (crash, power cut) leaves its claim behind; after
    /// the lease another run takes it. Longer than one send can take (MailKit's and our HTTP timeouts are 60 s).
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>At most this many notifications per run; the rest wait for the next run (30 s later by default).</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>The wait before attempt n+1 after n failed attempts.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        var delay = TimeSpan.FromMilliseconds(FirstRetryDelay.TotalMilliseconds * factor);
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}

public enum MailSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS, refused if the server does not offer it (port 587). The default.</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
    /// <summary>MailKit decides from the port (465: TLS, otherwise STARTTLS when offered; plaintext if not offered).</summary>
    Auto,
    /// <summary>No encryption at all: only for a test sink on loopback. Never on a real network.</summary>
    None,
}

public sealed class EmailSettings
{
    /// <summary>Empty: e-mail is not configured; e-mail notifications wait in the outbox until it is.</summary>
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public MailSecurity Security { get; set; } = MailSecurity.StartTls;
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>The sender, e.g. "Primăria Exemplu &lt;registratura@primaria-exemplu.ro&gt;". Its domain ends each Message-ID.</summary>
    public string From { get; set; } = "CitizenCRM <registratura@localhost>";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

public sealed class SmsSettings
{
    /// <summary>Twilio's account SID (AC...); empty: SMS is not configured, SMS notifications wait.</summary>
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }
    /// <summary>The sending number in E.164 (+40...), or a Messaging Service SID (MG...).</summary>
    public string? From { get; set; }
    /// <summary>Twilio's REST API; a test points it at a local stand-in of the Messages endpoint.</summary>
    public string BaseUrl { get; set; } = "https://api.twilio.com";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool Configured => !string.IsNullOrWhiteSpace(AccountSid) && !string.IsNullOrWhiteSpace(AuthToken) && !string.IsNullOrWhiteSpace(From);
}
