using MailKit.Security;

namespace CitizenCrm.Core.Intake;

/// <summary>How the connection to the mailbox is protected.</summary>
public enum MailboxSecurity
{
    /// <summary>The default: TLS from the first byte on port 993, STARTTLS (required, never skipped) on any other port.</summary>
    Tls,
    /// <summary>TLS from the first byte (IMAPS), whatever the port.</summary>
    SslOnConnect,
    /// <summary>A plain connection upgraded with STARTTLS; refused when the server does not offer it.</summary>
    StartTls,
    /// <summary>Plaintext: the password and the mail travel unprotected. Only for a test server on loopback.</summary>
    None,
}

/// <summary>
/// The registry mailbox, bound from the "Mailbox" section. The password is configuration (put it in an environment
/// variable, Mailbox__Password, rather than in a file); it is never logged and never shown by the API.
/// </summary>
public sealed class MailboxOptions
{
    /// <summary>The IMAP server; empty: the mailbox poll does nothing (and says so in its run record).</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 993;

    public MailboxSecurity Security { get; set; } = MailboxSecurity.Tls;

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The folder the city's mail arrives in.</summary>
    public string InboxFolder { get; set; } = "INBOX";

    /// <summary>Where a message goes once it is registered or added to its case; created at the top level when missing.</summary>
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>Where a message that cannot be registered goes (too large, no sender, failed 3 times); created when missing.</summary>
    public string FailedFolder { get; set; } = "Failed";

    /// <summary>
    /// The largest message read, as the server counts it (RFC822.SIZE, the encoded size: base64 makes an attachment about
    /// a third larger). Larger ones go to the failed folder unread, so one huge message never blocks the mailbox.
    /// </summary>
    public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Messages handled per run; the rest wait for the next run (a minute later by default).</summary>
    public int MaxMessagesPerRun { get; set; } = 50;

    /// <summary>Seconds to wait for the server before a run gives up (and the next run tries again).</summary>
    public int TimeoutSeconds { get; set; } = 60;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public SecureSocketOptions SocketOptions => Security switch
    {
        MailboxSecurity.None => SecureSocketOptions.None,
        MailboxSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailboxSecurity.StartTls => SecureSocketOptions.StartTls,
        // SecureSocketOptions.Auto would fall back to plaintext on a port other than 993 when the server offers no
        // STARTTLS: "TLS by default" means refusing that, so STARTTLS is required there.
        _ => Port == 993 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
    };

    /// <summary>Settings a run cannot work with, named so an admin can fix them; empty when all is well.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Port is < 1 or > 65535) problems.Add($"Mailbox:Port is {Port}: give a port between 1 and 65535 (993 for IMAPS).");
        if (string.IsNullOrWhiteSpace(User)) problems.Add("Mailbox:User is empty: give the mailbox's user name.");
        if (string.IsNullOrEmpty(Password)) problems.Add("Mailbox:Password is empty: set it, e.g. in the environment variable Mailbox__Password.");
        if (string.IsNullOrWhiteSpace(InboxFolder)) problems.Add("Mailbox:InboxFolder is empty (INBOX is the usual one).");
        if (string.IsNullOrWhiteSpace(ProcessedFolder)) problems.Add("Mailbox:ProcessedFolder is empty.");
        if (string.IsNullOrWhiteSpace(FailedFolder)) problems.Add("Mailbox:FailedFolder is empty.");
        if (string.Equals(ProcessedFolder, InboxFolder, StringComparison.OrdinalIgnoreCase) || string.Equals(FailedFolder, InboxFolder, StringComparison.OrdinalIgnoreCase))
            problems.Add("Mailbox:ProcessedFolder and Mailbox:FailedFolder must differ from Mailbox:InboxFolder, or the same messages would be read again.");
        if (MaxMessageBytes < 1024) problems.Add("Mailbox:MaxMessageBytes must be at least 1024.");
        if (MaxMessagesPerRun < 1) problems.Add("Mailbox:MaxMessagesPerRun must be at least 1.");
        if (TimeoutSeconds < 1) problems.Add("Mailbox:TimeoutSeconds must be at least 1.");
        return problems;
    }
}
