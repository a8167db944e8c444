namespace CitizenCrm.Core.DataProtection.Erasure;

/// <summary>What an erasure does to one table's rows of the erased citizen.</summary>
public enum ErasureAction
{
    /// <summary>The rows go.</summary>
    Removed,
    /// <summary>The rows stay, with the listed columns replaced or cleared.</summary>
    Anonymised,
    /// <summary>The rows stay as they are: they hold no personal data beyond an id, and a law or the erasure itself needs them.</summary>
    Kept,
}

public sealed record TableErasure(string Table, ErasureAction Action, string What, string Why);

/// <summary>
/// Every table that refers to a citizen or a case, and what <see cref="EraseCitizenHandler"/> does to it. A test reads the
/// schema and fails when a table with a citizen or case column is missing here, so a new feature's table is not forgotten.
/// docs/DATA-PROTECTION.md carries the same table for people.
/// </summary>
public static class ErasurePlan
{
    // Registry entries: OG 27/2002 (petitions) and Law 544/2001 (public information) ask the register and the answers to be
    // kept; Law 16/1996 (national archives) and the city's nomenclator of records set how long. Fiscal records: Law
    // 207/2015 (Fiscal Procedure Code) keeps them while a debt can be collected or checked (art. 110: 5 years' limitation).
    // What they must show is the number, the dates, the status and the amounts, not who the person was.
    private const string Registry = "the register of petitions and requests and the answers sent are kept by law (OG 27/2002, Law 544/2001, Law 16/1996 archives)";
    private const string Fiscal = "fiscal records are kept while the fiscal claim can be collected or checked (Law 207/2015, Fiscal Procedure Code, art. 110)";

    public static readonly IReadOnlyList<TableErasure> Tables =
    [
        new("citizens", ErasureAction.Anonymised,
            "names → \"Erased\" \"citizen\", id type → erased, national id → the row's own id, date of birth, address, phones, e-mails, PIN cleared; erased_at set",
            "cases and the revenue ledger point at the row: it stays as an empty shell so their numbers and amounts still add up"),
        new("citizen_phones", ErasureAction.Removed, "all the citizen's rows", "search copies of the phones"),
        new("citizen_emails", ErasureAction.Removed, "all the citizen's rows", "search copies of the e-mails"),
        new("citizen_name_tokens", ErasureAction.Removed, "all the citizen's rows", "search copies of the name"),
        new("cases", ErasureAction.Anonymised,
            "subject → \"[erased]\"; description, contact name and details, note, answer text, answer document cleared (the citizen's cases: party, on whose behalf, or a contact at one of their phones or e-mails)",
            Registry + "; number, year, register, kind, category, channel, status, dates, terms, department, answer number and date stay for the registers and the statistics"),
        new("case_intake", ErasureAction.Anonymised, "on whose behalf (name), the web access code's hash cleared",
            "who registered the case and by which call is part of the register entry"),
        new("case_locations", ErasureAction.Anonymised, "address text and address id cleared",
            "the coordinates are the place of the matter (a pothole), kept for the map's statistics"),
        new("map_reports", ErasureAction.Anonymised, "device id, account id, answers to the questions, media links cleared",
            "the report's token, source and moderation state belong to the case's register entry"),
        new("case_photos", ErasureAction.Removed, "rows of the citizen's cases, and their files once no other row names them",
            "pictures sent by the citizen"),
        new("case_documents", ErasureAction.Removed, "rows of the citizen's cases, and their files once no other row names them",
            "documents sent by or to the citizen; the register keeps the answer's number and date"),
        new("notifications", ErasureAction.Anonymised,
            "recipient, name, subject, body, attachment name cleared; unsent ones withdrawn (removed)",
            "the notifications report counts what was sent and what failed"),
        new("mail_messages", ErasureAction.Anonymised, "the reason text cleared",
            "the Message-ID keeps a message read once from being registered twice"),
        new("tax_obligations", ErasureAction.Anonymised, "description (an address, a plate) → \"[erased]\"",
            Fiscal + "; amounts, years and the revenue system's reference stay. Refused while a debt is owed"),
        new("fines", ErasureAction.Kept, "nothing: report number, legal basis, amounts and dates only",
            Fiscal + ". Refused while a fine is unpaid"),
        new("ivr_calls", ErasureAction.Removed, "the citizen's calls (verified as them, or from one of their phones)", "phone call state"),
        new("phone_requests", ErasureAction.Removed, "callbacks and messages of the citizen's calls or phones", "phone call state"),
        new("phone_access_locks", ErasureAction.Removed, "the lock row of the citizen's CNP", "phone lockout state"),
        new("timeline_events", ErasureAction.Kept, "nothing: kind, channel, dates, ids and non-personal figures",
            "the timeline is append-only; reports count its events. Their details are removed (timeline_details)"),
        new("timeline_details", ErasureAction.Removed,
            "details of the citizen's events, of their cases' events and of their calls' events; the view then reads \"Erased citizen\"",
            "the personal content of events"),
        new("audit_log", ErasureAction.Kept, "nothing: who read which citizen id when",
            "accountability of staff reads (GDPR art. 5(2), art. 30); it names no personal data once the citizen is erased"),
        new("data_subject_requests", ErasureAction.Kept, "nothing: dates, term, outcome",
            "proof that the request was answered within its term (GDPR art. 5(2), art. 12(3))"),
        new("citizen_erasures", ErasureAction.Kept, "the erasure's own record: who, when, legal basis, counts",
            "GDPR art. 5(2): the city hall shows that it erased, and when"),
    ];

    /// <summary>Tables that refer to citizens or cases only through others, also handled: listed for the schema test.</summary>
    public static readonly IReadOnlyList<TableErasure> AlsoHandled =
    [
        new("phone_pin_failures", ErasureAction.Removed, "failed PINs counted under the citizen's CNP key", "phone lockout state"),
        new("idempotency_keys", ErasureAction.Removed, "stored answers naming the citizen, their cases, CNP, phones or e-mails",
            "a replay cache: at most a retry's worth of convenience is lost"),
    ];

    public static TableErasure? For(string table) =>
        Tables.Concat(AlsoHandled).FirstOrDefault(t => string.Equals(t.Table, table, StringComparison.OrdinalIgnoreCase));
}
