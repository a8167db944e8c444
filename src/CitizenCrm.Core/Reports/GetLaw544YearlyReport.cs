using CitizenCrm.Core.Cases;
using CitizenCrm.Core.Common;
using CitizenCrm.Core.Storage;
using Mediator;

namespace CitizenCrm.Core.Reports;

/// <summary>
/// The yearly report on access to public information (raportul anual privind accesul la informațiile de interes public,
/// Law 544/2001 art. 27; its content: HG 123/2002 art. 27 as amended by HG 478/2016, and the report model annexed to
/// HG 478/2016). The figures and their sources are listed in docs/legal-reports.md, in this order.
/// The cohort: the information requests registered in the year (their registration date in Bucharest), each counted with
/// what became of it by the day the report is drawn.
/// </summary>
public sealed record GetLaw544YearlyReport(int? Year) : IQuery<LegalReport>, IValidatable
{
    public void Validate(Validation v)
    {
        if (v.Required("year", Year, "The year of the report") && Year is < 2001 or > 2200)
            v.Add("year", "The year is between 2001 (Law 544/2001) and 2200.");
    }
}

public sealed class GetLaw544YearlyReportHandler(UnitOfWork uow, TimeProvider clock) : IQueryHandler<GetLaw544YearlyReport, LegalReport>
{
    private const string Art27 = "HG 123/2002, anexa, art. 27";

    private const string Figures = """
        SELECT COUNT(*) AS Total,
               SUM(CASE WHEN c.status IN ('answered', 'closed') AND c.answered_on IS NOT NULL THEN 1 ELSE 0 END) AS Favourable,
               SUM(CASE WHEN c.status = 'rejected' THEN 1 ELSE 0 END) AS Refused,
               SUM(CASE WHEN c.status = 'rejected' AND c.refusal_ground = 'exempt' THEN 1 ELSE 0 END) AS RefusedExempt,
               SUM(CASE WHEN c.status = 'rejected' AND c.refusal_ground = 'nonexistent' THEN 1 ELSE 0 END) AS RefusedNonexistent,
               SUM(CASE WHEN c.status = 'rejected' AND c.refusal_ground = 'other' THEN 1 ELSE 0 END) AS RefusedOther,
               SUM(CASE WHEN c.status = 'rejected' AND c.refusal_ground IS NULL THEN 1 ELSE 0 END) AS RefusedUnclassified,
               SUM(CASE WHEN c.channel IN ('desk', 'post', 'field') THEN 1 ELSE 0 END) AS OnPaper,
               SUM(CASE WHEN c.channel IN ('email', 'web', 'map') THEN 1 ELSE 0 END) AS Electronic,
               SUM(CASE WHEN c.channel IN ('phone', 'ivr') THEN 1 ELSE 0 END) AS Verbal,
               SUM(CASE WHEN c.party_kind IN ('citizen', 'contact') THEN 1 ELSE 0 END) AS NaturalPersons,
               SUM(CASE WHEN c.party_kind = 'organisation' THEN 1 ELSE 0 END) AS LegalPersons,
               SUM(CASE WHEN c.answered_on IS NOT NULL AND c.term_days = 10 AND c.answered_on <= c.due_on THEN 1 ELSE 0 END) AS Within10,
               SUM(CASE WHEN c.answered_on IS NOT NULL AND c.term_days = 30 AND c.answered_on <= c.due_on THEN 1 ELSE 0 END) AS Within30,
               SUM(CASE WHEN c.answered_on IS NOT NULL AND c.answered_on > c.due_on THEN 1 ELSE 0 END) AS Late,
               SUM(CASE WHEN c.status IN 
        """ + CaseStatuses.OpenSql + """
         THEN 1 ELSE 0 END) AS Pending
        FROM cases c
        WHERE c.kind = 'information_request' AND c.registered_on BETWEEN @From AND @To
        """;

    private const string ByDepartment = """
        SELECT COALESCE(c.assigned_department, '(unassigned)') AS Part, COUNT(*) AS N
        FROM cases c
        WHERE c.kind = 'information_request' AND c.registered_on BETWEEN @From AND @To
        GROUP BY COALESCE(c.assigned_department, '(unassigned)')
        ORDER BY 1
        """;

    private sealed record Row
    {
        public long Total { get; init; }
        public long? Favourable { get; init; }
        public long? Refused { get; init; }
        public long? RefusedExempt { get; init; }
        public long? RefusedNonexistent { get; init; }
        public long? RefusedOther { get; init; }
        public long? RefusedUnclassified { get; init; }
        public long? OnPaper { get; init; }
        public long? Electronic { get; init; }
        public long? Verbal { get; init; }
        public long? NaturalPersons { get; init; }
        public long? LegalPersons { get; init; }
        public long? Within10 { get; init; }
        public long? Within30 { get; init; }
        public long? Late { get; init; }
        public long? Pending { get; init; }
    }

    public async ValueTask<LegalReport> Handle(GetLaw544YearlyReport query, CancellationToken ct)
    {
        var from = new DateOnly(query.Year!.Value, 1, 1);
        var to = new DateOnly(query.Year.Value, 12, 31);
        var p = new { From = from, To = to };
        var r = await uow.QuerySingleAsync<Row>(Figures, p, ct);
        var departments = (await uow.QueryAsync<(string Part, long N)>(ByDepartment, p, ct)).ToDictionary(x => x.Part, x => x.N, StringComparer.Ordinal);

        const string noComplaints = "Administrative complaints (art. 21 of the law) and court actions (art. 22) are not recorded in the system.";
        LegalFigure[] figures =
        [
            LegalReport.Count("requests_total", "Numărul total de solicitări de informații de interes public", Art27 + " lit. a)", r.Total),
            LegalReport.Missing("requests_by_domain", "Numărul de solicitări departajat pe domenii de interes", Art27 + " lit. b); modelul din anexa la HG 478/2016",
                "Requests carry no domain of interest (use of public money, how duties are done, regulations, leaders' activity, applying Law 544, other); see requests_by_department for the compartments that answered them."),
            LegalReport.Parts("requests_by_department", "Solicitări pe compartimente (în locul domeniilor de interes)", Art27 + " lit. b), aproximare", departments),
            LegalReport.Count("requests_resolved_favourably", "Numărul de solicitări rezolvate favorabil", Art27 + " lit. c)", r.Favourable ?? 0),
            LegalReport.Count("requests_refused_total", "Numărul de solicitări respinse", Art27 + " lit. d)", r.Refused ?? 0),
            LegalReport.Count("requests_refused_exempt", "Respinse: informații exceptate de la acces (art. 12 din lege)", Art27 + " lit. d)", r.RefusedExempt ?? 0),
            LegalReport.Count("requests_refused_nonexistent", "Respinse: informații inexistente", Art27 + " lit. d)", r.RefusedNonexistent ?? 0),
            LegalReport.Count("requests_refused_other", "Respinse: alte motive", Art27 + " lit. d)", r.RefusedOther ?? 0),
            // Refusals recorded without a ground (before the field existed, or left out): to be sorted by hand.
            LegalReport.Count("requests_refused_unclassified", "Respinse fără motiv clasificat (de completat manual)", Art27 + " lit. d)", r.RefusedUnclassified ?? 0),
            LegalReport.Count("requests_on_paper", "Solicitări adresate pe suport hârtie (ghișeu, poștă, teren)", Art27 + " lit. e) pct. 1", r.OnPaper ?? 0),
            LegalReport.Count("requests_electronic", "Solicitări adresate pe suport electronic (e-mail, formular web, hartă)", Art27 + " lit. e) pct. 2", r.Electronic ?? 0),
            LegalReport.Count("requests_verbal", "Solicitări verbale (telefon)", Art27 + " lit. e) pct. 3", r.Verbal ?? 0),
            LegalReport.Count("requests_from_natural_persons", "Solicitări adresate de persoane fizice", Art27 + " lit. f)", r.NaturalPersons ?? 0),
            LegalReport.Count("requests_from_legal_persons", "Solicitări adresate de persoane juridice", Art27 + " lit. g)", r.LegalPersons ?? 0),
            LegalReport.Missing("administrative_complaints_favourable", "Reclamații administrative rezolvate favorabil", Art27 + " lit. h) pct. 1", noComplaints),
            LegalReport.Missing("administrative_complaints_refused", "Reclamații administrative respinse", Art27 + " lit. h) pct. 2", noComplaints),
            LegalReport.Missing("court_complaints_favourable", "Plângeri în instanță rezolvate favorabil", Art27 + " lit. i) pct. 1", noComplaints),
            LegalReport.Missing("court_complaints_refused", "Plângeri în instanță respinse", Art27 + " lit. i) pct. 2", noComplaints),
            LegalReport.Missing("court_complaints_pending", "Plângeri în instanță în curs de soluționare", Art27 + " lit. i) pct. 3", noComplaints),
            LegalReport.Count("answers_within_10_days", "Răspunsuri în termenul de 10 zile", Art27 + " lit. j); Legea 544/2001 art. 7 alin. (1)", r.Within10 ?? 0),
            LegalReport.Count("answers_within_30_days", "Răspunsuri în termenul prelungit de 30 de zile", Art27 + " lit. j); Legea 544/2001 art. 7 alin. (1)", r.Within30 ?? 0),
            LegalReport.Count("answers_late", "Răspunsuri după expirarea termenului", Art27 + " lit. j); modelul din anexa la HG 478/2016", r.Late ?? 0),
            LegalReport.Count("requests_pending", "Solicitări în curs de soluționare la data raportului", "modelul din anexa la HG 478/2016", r.Pending ?? 0),
            LegalReport.Missing("exempt_information_identified", "Informațiile solicitate identificate ca exceptate de la accesul liber", Art27 + " lit. k)",
                "The information asked for is described in the request's text; the system keeps no list of exempt information."),
            LegalReport.Missing("improvement_measures", "Măsurile luate pentru îmbunătățirea activității", Art27 + " lit. l)", "A text the compartment writes; not a figure."),
            LegalReport.Missing("responsible_person", "Numele și prenumele persoanei responsabile de aplicarea Legii 544/2001", Art27 + " lit. m)", "A name the compartment writes; the system does not know who is appointed."),
            LegalReport.Missing("department_costs", "Costurile totale de funcționare ale compartimentului", "HG 123/2002 art. 27 (forma inițială); modelul din anexa la HG 478/2016", "Costs are kept by the accounts department, not here."),
            LegalReport.Missing("copying_fees_collected", "Sumele încasate pentru serviciile de copiere", "HG 123/2002 art. 27 (forma inițială); Legea 544/2001 art. 9; modelul din anexa la HG 478/2016", "Copying fees are collected by the cashier, not recorded here."),
        ];
        return new LegalReport("Raport anual privind accesul la informațiile de interes public (Legea 544/2001)", "Legea 544/2001 art. 27; HG 123/2002 art. 27; HG 478/2016",
            from, to, Calendar.Today(clock),
            "Information requests registered from " + ReportText.Of(from) + " to " + ReportText.Of(to) + ", with their outcome as of the day the report is drawn.",
            figures);
    }
}
