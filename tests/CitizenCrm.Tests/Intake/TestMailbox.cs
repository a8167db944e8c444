using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace CitizenCrm.Tests.Intake;

/// <summary>
/// Folders of their own for one test on the real IMAP server named by CITIZENCRM_IMAP (Dovecot on loopback, see
/// .ci/start-dovecot), so tests never see each other's mail. The test puts messages in with IMAP APPEND, as a mail
/// server delivering them would leave them, and reads the folders back to see what the poll did.
/// </summary>
internal sealed class TestMailbox : IAsyncDisposable
{
    public const string Variable = "CITIZENCRM_IMAP";

    public const string HowToRun =
        "The e-mail intake tests need a real IMAP server: set CITIZENCRM_IMAP=imap://USER:PASSWORD@HOST:PORT (plaintext, a test server). " +
        "As root on Debian: apt-get install -y dovecot-imapd, then eval \"$(.ci/start-dovecot)\" starts Dovecot on 127.0.0.1:10143 and sets " +
        "CITIZENCRM_IMAP=imap://citizencrm:secret@127.0.0.1:10143 (see README, Quick start, 'Tests that need a real server or a browser').";

    private TestMailbox(Uri address)
    {
        Host = address.Host;
        Port = address.Port;
        var credentials = address.UserInfo.Split(':', 2);
        User = Uri.UnescapeDataString(credentials[0]);
        Password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "";
        var id = Guid.NewGuid().ToString("N")[..10];
        Inbox = $"T{id}In";
        Processed = $"T{id}Done";
        Failed = $"T{id}Failed";
    }

    public string Host { get; }
    public int Port { get; }
    public string User { get; }
    public string Password { get; }
    public string Inbox { get; }
    public string Processed { get; }
    public string Failed { get; }

    /// <summary>The mailbox of this test, or Assert.Ignore with how to run the test when no server is configured.</summary>
    public static async Task<TestMailbox> OpenAsync()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value)) Assert.Ignore(HowToRun);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var address) || address.Scheme != "imap" || address.UserInfo.Length == 0)
            Assert.Fail($"{Variable} is '{value}'; it must look like imap://citizencrm:secret@127.0.0.1:10143.");
        var mailbox = new TestMailbox(address!);
        using var client = await mailbox.ConnectAsync();
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        await root.CreateAsync(mailbox.Inbox, true);
        return mailbox;
    }

    /// <summary>The server's settings for this mailbox: plaintext, as only a test server on loopback may be.</summary>
    public Dictionary<string, string?> Settings(long? maxMessageBytes = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Mailbox:Host"] = Host,
            ["Mailbox:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mailbox:User"] = User,
            ["Mailbox:Password"] = Password,
            ["Mailbox:Security"] = "None",
            ["Mailbox:InboxFolder"] = Inbox,
            ["Mailbox:ProcessedFolder"] = Processed,
            ["Mailbox:FailedFolder"] = Failed,
        };
        if (maxMessageBytes is { } max) settings["Mailbox:MaxMessageBytes"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    /// <summary>Delivers messages into the test's inbox, in order.</summary>
    public async Task DeliverAsync(params MimeMessage[] messages)
    {
        using var client = await ConnectAsync();
        var inbox = await client.GetFolderAsync(Inbox);
        foreach (var m in messages) await inbox.AppendAsync(new AppendRequest(m, MessageFlags.None));
        await client.DisconnectAsync(true);
    }

    /// <summary>The Message-IDs (or subjects, for messages without one) in a folder; empty when the folder does not exist.</summary>
    public async Task<List<string>> ListAsync(string folderName)
    {
        using var client = await ConnectAsync();
        IMailFolder folder;
        try { folder = await client.GetFolderAsync(folderName); }
        catch (FolderNotFoundException) { return []; }
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var list = (await folder.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.UniqueId))
            .OrderBy(s => s.UniqueId).Select(s => s.Envelope?.MessageId ?? "subject:" + s.Envelope?.Subject).ToList();
        await client.DisconnectAsync(true);
        return list;
    }

    /// <summary>Copies every message of the processed folder back into the inbox (as an admin undoing a move would).</summary>
    public async Task PutBackProcessedAsync()
    {
        using var client = await ConnectAsync();
        var processed = await client.GetFolderAsync(Processed);
        var inbox = await client.GetFolderAsync(Inbox);
        await processed.OpenAsync(FolderAccess.ReadWrite);
        var uids = (await processed.FetchAsync(0, -1, MessageSummaryItems.UniqueId)).Select(s => s.UniqueId).ToList();
        await processed.CopyToAsync(uids, inbox);
        await client.DisconnectAsync(true);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var client = await ConnectAsync();
            foreach (var name in new[] { Inbox, Processed, Failed })
            {
                try { await (await client.GetFolderAsync(name)).DeleteAsync(); }
                catch (FolderNotFoundException) { }
            }
            await client.DisconnectAsync(true);
        }
        catch (Exception ex) when (ex is IOException or ImapCommandException or ImapProtocolException or System.Net.Sockets.SocketException)
        {
            // The server is gone: its temp folder goes with it.
        }
    }
}
