// Words the citizen and case screens share: days counted the Romanian way (1 zi; 2–19 zile; 20 and more „de zile”),
// the event kinds of a timeline or a case history in words, and who acted (cetățeanul, robotul telefonic, sistemul).
import { currentLang } from "../../i18n";

/** Romanian plural: one for 1, few for 0 and for 2–19 (also 101–119...), "de" + plural from 20 on (20, 34, 100, 120). */
export function pluralRo(n: number, one: string, few: string, many: string): string {
  const abs = Math.abs(n);
  if (abs === 1) return one;
  const rest = abs % 100;
  return abs === 0 || (rest >= 1 && rest <= 19) ? few.replace("{0}", String(n)) : many.replace("{0}", String(n));
}

/** Which of three text keys fits the count n in Romanian: one (1), few (0, 2–19, 101–119...), many (20 and more: "de"). */
export function pick<K>(n: number, one: K, few: K, many: K): K {
  const abs = Math.abs(n);
  if (abs === 1) return one;
  const rest = abs % 100;
  return abs === 0 || (rest >= 1 && rest <= 19) ? few : many;
}

/** "o zi", "3 zile", "25 de zile" (English: "1 day", "3 days"). */
export function days(n: number): string {
  if (currentLang() === "en") return n === 1 ? "1 day" : `${n} days`;
  return pluralRo(n, "o zi", "{0} zile", "{0} de zile");
}

/** "o zi rămasă", "3 zile rămase", "25 de zile rămase". */
export function daysLeft(n: number): string {
  if (currentLang() === "en") return `${days(n)} left`;
  return n === 1 ? "o zi rămasă" : `${days(n)} rămase`;
}

/** "depășit cu o zi", "depășit cu 34 de zile" (lower case: it stands after a date or inside parentheses). */
export function daysLate(n: number): string {
  if (currentLang() === "en") return `${days(n)} late`;
  return `depășit cu ${days(n)}`;
}

const eventKinds: Record<string, [ro: string, en: string]> = {
  "case.registered": ["Înregistrare", "Registered"],
  "case.registered_on_behalf": ["Înregistrare în numele petentului", "Registered on the petitioner's behalf"],
  "case.assigned": ["Repartizare", "Assigned"],
  "case.claimed": ["Preluare", "Claimed"],
  "case.started": ["Început lucrul", "Work started"],
  "case.answered": ["Răspuns", "Answered"],
  "case.closed": ["Închidere", "Closed"],
  "case.forwarded": ["Redirecționare", "Forwarded"],
  "case.joined": ["Conexare", "Joined"],
  "case.filed": ["Clasare", "Filed away"],
  "case.rejected": ["Respingere", "Refused"],
  "case.term_extended": ["Termen prelungit", "Term extended"],
  "case.overdue": ["Termen depășit", "Term passed"],
  "case.due_soon": ["Termen aproape", "Term close"],
  "case.document_attached": ["Document atașat", "Document attached"],
  "case.attachment_refused": ["Document refuzat", "Document refused"],
  "case.internal_note": ["Notă internă", "Internal note"],
  "case.reclassified": ["Reclasificare", "Reclassified"],
  "case.priority_set": ["Prioritate stabilită", "Priority set"],
  "case.linked_to_citizen": ["Legată de cetățean", "Linked to the citizen"],
  "case.possible_duplicate": ["Posibil duplicat", "Possible duplicate"],
  "case.photo_published": ["Fotografie publicată", "Photo published"],
  "case.photo_hidden": ["Fotografie ascunsă", "Photo hidden"],
  "case.email_reply": ["Răspuns prin e-mail", "E-mail reply"],
  "case.email_received": ["E-mail primit", "E-mail received"],
  "case.contact_corrected": ["Date de contact corectate", "Contact details corrected"],
  "citizen.registered": ["Cetățean înregistrat", "Citizen registered"],
  "citizen.updated": ["Date modificate", "Details changed"],
  "citizen.phone_pin_issued": ["PIN telefonic emis", "Phone PIN issued"],
  "citizen.phone_pin_reset": ["PIN telefonic resetat", "Phone PIN reset"],
  "citizen.erased": ["Date șterse (GDPR)", "Data erased (GDPR)"],
  "citizen.data_exported": ["Date exportate (GDPR)", "Data exported (GDPR)"],
  "phone.access_unlocked": ["Acces telefonic deblocat", "Phone access unlocked"],
  "phone.callback_done": ["Apel înapoi făcut", "Called back"],
  "phone.case_logged": ["Înregistrare la telefon", "Logged on the phone"],
  "phone.message_handled": ["Mesaj vocal rezolvat", "Voice message handled"],
  "interaction.desk_visit": ["Vizită la ghișeu", "Desk visit"],
  "interaction.call_note": ["Notă de convorbire", "Call note"],
  "ivr.call_started": ["Apel la robotul telefonic", "Call to the phone robot"],
  "ivr.call_ended": ["Apel încheiat", "Call ended"],
  "ivr.call_abandoned": ["Apel abandonat", "Call abandoned"],
  "ivr.identity_verified": ["Identitate verificată la telefon", "Identity checked on the phone"],
  "ivr.identity_failed": ["Identitate neconfirmată la telefon", "Identity not confirmed on the phone"],
  "ivr.phone_access_locked": ["Acces telefonic blocat", "Phone access locked"],
  "ivr.callback_requested": ["Cerere de apel înapoi", "Callback requested"],
  "ivr.transferred": ["Transferat la operator", "Transferred to an operator"],
  "ivr.operator_answered": ["Răspuns de operator", "Operator answered"],
  "ivr.answer_given": ["Răspuns dat de robot", "Answer given by the robot"],
  "ivr.balance_read": ["Sold citit la telefon", "Balance read on the phone"],
  "ivr.message_left": ["Mesaj vocal lăsat", "Voice message left"],
  "ivr.survey_answered": ["Chestionar completat", "Survey answered"],
  "email.received": ["E-mail primit", "E-mail received"],
  "email.sent": ["E-mail trimis", "E-mail sent"],
  "email.failed": ["E-mail netrimis", "E-mail not sent"],
  "notification.sent": ["Anunț trimis", "Notice sent"],
  "notification.failed": ["Anunț netrimis", "Notice not sent"],
  "notification.retried": ["Anunț retrimis", "Notice sent again"],
  "revenue.payment_recorded": ["Plată înregistrată", "Payment recorded"],
  "revenue.ledger_imported": ["Situație fiscală importată", "Tax ledger imported"],
  "revenue.ledger_corrected": ["Situație fiscală corectată", "Tax ledger corrected"],
  "map.report": ["Sesizare pe hartă", "Map report"],
  "map.report_published": ["Sesizare publicată pe hartă", "Map report published"],
  "map.report_hidden": ["Sesizare ascunsă de pe hartă", "Map report hidden"],
  "map.report_shown": ["Sesizare arătată din nou pe hartă", "Map report shown again"],
};

/** The event kind in words, or null when there is no label for it (then the code is shown). */
export function eventKindLabel(kind: string): string | null {
  const words = eventKinds[kind];
  return words ? words[currentLang() === "en" ? 1 : 0] : null;
}

/** Event kind codes with a label, for the timeline's filter. */
export function labelledEventKind(kind: string): string {
  return eventKindLabel(kind) ?? kind;
}

const actors: Record<string, [ro: string, en: string]> = {
  citizen: ["cetățeanul", "the citizen"],
  ivr: ["robotul telefonic", "the phone robot"],
  system: ["sistemul", "the system"],
};

/** Who acted: a staff member's name as it is, the citizen, the phone robot or the system in words. */
export function actorName(actor: string): string {
  const words = actors[actor];
  return words ? words[currentLang() === "en" ? 1 : 0] : actor;
}
