// The dispatcher's screens in Romanian and English.
import { textsOf, type Texts } from "../../i18n";

type Key =
  | "queueTitle" | "filters" | "department" | "status" | "channel" | "kind" | "service" | "assignee" | "overdue" | "dueWithin"
  | "unmatchedOnly" | "apply" | "reset" | "all" | "anyone" | "me" | "unassigned" | "queueCaption" | "select" | "selectRow"
  | "number" | "subject" | "party" | "assigned" | "term" | "priority" | "actions" | "claim" | "assignOne" | "assignTo"
  | "assignSelected" | "chooseStaff" | "noneSelected" | "pickStaff" | "claimed" | "assignedTo" | "bulkAssigned" | "prioritySet"
  | "more" | "total" | "empty" | "newItems" | "live" | "liveLost" | "sortBy" | "sortedAsc" | "sortedDesc" | "daysLeft"
  | "daysLate" | "dueToday" | "noTerm" | "arrived" | "possibleDuplicate" | "refused" | "priorityOf" | "open"
  | "callersTitle" | "waitingNow" | "noneWaiting" | "waitingFor" | "caller" | "reason" | "language" | "verified" | "notVerified"
  | "recentTimeline" | "noTimeline" | "requestsTitle" | "requestsCaption" | "created" | "callbackNumber" | "recording"
  | "listen" | "noRecording" | "identity" | "done" | "doneNote" | "doneOk" | "noRequests" | "seconds" | "openCitizen"
  | "showNumber" | "numberShown" | "dayOne" | "daysFew" | "daysMany" | "leftOne" | "assignedDepartment"
  | "unmatchedTitle" | "unmatchedCaption" | "noUnmatched" | "linkCitizen" | "markDuplicate" | "linkTitle" | "searchCitizen"
  | "searchHint" | "search" | "noCitizens" | "linkThis" | "linked" | "duplicateTitle" | "originalNumber" | "originalHint"
  | "markIt" | "orNew" | "newCitizenHint" | "firstName" | "lastName" | "registerAndLink" | "idType" | "passport" | "foreignId" | "markedDuplicate" | "notFoundNumber" | "cancel" | "contact" | "birthYear" | "nationalId"
  | "mapTitle" | "mapLabel" | "mapCaption" | "address" | "registered" | "showOnMap" | "openCase" | "photos" | "noPhotos"
  | "photoOf" | "serviceName" | "noIncidents" | "incidentsShown" | "hiddenFromPublic" | "underReview" | "closed" | "opened";

const texts: Texts<Key> = {
  ro: {
    queueTitle: "Coada", filters: "Filtre", department: "Compartiment", status: "Stare", channel: "Canal", kind: "Tip",
    service: "Serviciu (cod)", assignee: "Atribuit", overdue: "Doar cele cu termenul depășit", dueWithin: "Termen în cel mult (zile)",
    unmatchedOnly: "Doar cele nepotrivite unui cetățean", apply: "Filtrează", reset: "Toate", all: "Toate", anyone: "Oricine",
    me: "Mie", unassigned: "Neatribuite", queueCaption: "De rezolvat: {0} în total", select: "Alege",
    selectRow: "Alege {0}", number: "Nr. înregistrare", subject: "Subiect", party: "Petent", assigned: "Atribuit lui",
    term: "Termen", priority: "Prioritate", actions: "Acțiuni", claim: "Preiau", assignOne: "Atribuie", assignTo: "Atribuie lui",
    assignSelected: "Atribuie cele alese", chooseStaff: "— alegeți un coleg —", noneSelected: "Alegeți întâi cazurile din listă.",
    pickStaff: "Alegeți întâi colegul căruia îi dați lucrarea.", claimed: "Ați preluat cazul {0}.", assignedTo: "Cazul {0} a fost atribuit lui {1}.",
    bulkAssigned: "{0} cazuri au fost atribuite lui {1}.", prioritySet: "Prioritatea cazului {0} este acum {1}.",
    more: "Încarcă mai multe", total: "{0} în total", empty: "Nimic nu așteaptă cu aceste filtre.",
    newItems: "Nou în coadă: {0}", live: "Actualizată în timp real", liveLost: "Legătura în timp real s-a întrerupt; se reia singură.",
    sortBy: "Ordonează după {0}", sortedAsc: "crescător", sortedDesc: "descrescător", daysLeft: "mai sunt {0}",
    daysLate: "depășit cu {0}", dueToday: "expiră azi", noTerm: "fără termen", arrived: "Sosit", possibleDuplicate: "Posibil duplicat al {0}",
    refused: "Cazuri refuzate", priorityOf: "Prioritatea cazului {0}", open: "deschis",
    callersTitle: "Apelanți", waitingNow: "Apelanți care așteaptă un operator", noneWaiting: "Nimeni nu așteaptă pe linie acum.",
    waitingFor: "așteaptă de {0} s", caller: "Apelant", reason: "Motivul apelului", language: "Limba", verified: "Identitate verificată (CNP + PIN)",
    notVerified: "Identitate neverificată", recentTimeline: "Istoric recent", noTimeline: "Nimic în istoric.",
    requestsTitle: "Apeluri înapoi și mesaje de rezolvat", requestsCaption: "Apeluri înapoi și mesaje: {0} deschise", created: "Primit",
    callbackNumber: "Număr de apelat", recording: "Înregistrare", listen: "Ascultă înregistrarea ({0} s)", noRecording: "—",
    identity: "Cetățean", done: "Rezolvat", doneNote: "Notă pentru {0}", doneOk: "Cererea a fost marcată rezolvată.",
    noRequests: "Nicio cerere deschisă.", seconds: "{0} s", openCitizen: "Deschide fișa cetățeanului",
    showNumber: "Arată numărul", numberShown: "Numărul pentru {0}: {1}",
    dayOne: "o zi", daysFew: "{0} zile", daysMany: "{0} de zile", leftOne: "mai este {0}", assignedDepartment: "{0} (compartiment)",
    unmatchedTitle: "De legat", unmatchedCaption: "Cazuri fără cetățean: {0}", noUnmatched: "Toate cazurile au cetățean.",
    linkCitizen: "Leagă de un cetățean", markDuplicate: "Marchează duplicat", linkTitle: "Legați cazul {0} de un cetățean",
    searchCitizen: "Caută cetățeanul", searchHint: "Nume (fără diacritice merge), CNP sau telefon", search: "Caută",
    noCitizens: "Niciun cetățean găsit.", linkThis: "Leagă de {0}", linked: "Cazul {0} a fost legat de {1}.",
    duplicateTitle: "Cazul {0} repetă alt caz", originalNumber: "Numărul cazului original", originalHint: "de forma 12/2026",
    orNew: "Sau înregistrați-l acum, din datele cazului", newCitizenHint: "Adresa de e-mail sau telefonul cazului trec în fișa nouă.",
    firstName: "Prenume", lastName: "Nume", registerAndLink: "Înregistrează și leagă", idType: "Act de identitate", passport: "Pașaport",
    foreignId: "Act de identitate străin",
    markIt: "Marchează duplicat", markedDuplicate: "Cazul {0} a fost marcat duplicat al cazului {1}.",
    notFoundNumber: "Niciun caz cu numărul {0}.", cancel: "Renunță", contact: "Contact", birthYear: "Anul nașterii", nationalId: "CNP",
    mapTitle: "Harta sesizărilor", mapLabel: "Harta sesizărilor raportate; aceleași sesizări sunt în tabelul de sub hartă",
    mapCaption: "Sesizările de pe hartă: {0}", address: "Adresă", registered: "Înregistrat", showOnMap: "Arată pe hartă",
    openCase: "Deschide cazul {0}", photos: "Fotografii", noPhotos: "Fără fotografii.", photoOf: "Fotografia {0} a cazului {1}", serviceName: "Serviciu",
    noIncidents: "Niciun incident cu aceste filtre.", incidentsShown: "{0} incidente pe hartă.", hiddenFromPublic: "ascuns publicului",
    underReview: "în verificare", closed: "închis", opened: "deschis",
  },
  en: {
    queueTitle: "Queue", filters: "Filters", department: "Department", status: "Status", channel: "Channel", kind: "Kind",
    service: "Service (code)", assignee: "Assigned", overdue: "Only those past their term", dueWithin: "Term within (days)",
    unmatchedOnly: "Only those not matched to a citizen", apply: "Filter", reset: "All", all: "All", anyone: "Anyone",
    me: "Me", unassigned: "Unassigned", queueCaption: "Waiting for a person: {0} in all", select: "Select",
    selectRow: "Select {0}", number: "Registration no.", subject: "Subject", party: "Petitioner", assigned: "Assigned to",
    term: "Term", priority: "Priority", actions: "Actions", claim: "Claim", assignOne: "Assign", assignTo: "Assign to",
    assignSelected: "Assign the selected", chooseStaff: "— choose a colleague —", noneSelected: "Select the cases in the list first.",
    pickStaff: "Choose the colleague who gets the work first.", claimed: "You claimed case {0}.", assignedTo: "Case {0} was assigned to {1}.",
    bulkAssigned: "{0} cases were assigned to {1}.", prioritySet: "Case {0}'s priority is now {1}.",
    more: "Load more", total: "{0} in all", empty: "Nothing waits with these filters.",
    newItems: "New in the queue: {0}", live: "Updated live", liveLost: "The live link dropped; it reconnects by itself.",
    sortBy: "Sort by {0}", sortedAsc: "ascending", sortedDesc: "descending", daysLeft: "{0} left",
    daysLate: "{0} late", dueToday: "due today", noTerm: "no term", arrived: "Arrived", possibleDuplicate: "Possibly repeats {0}",
    refused: "Refused cases", priorityOf: "Priority of case {0}", open: "open",
    callersTitle: "Callers", waitingNow: "Callers waiting for an operator", noneWaiting: "Nobody is waiting on the line now.",
    waitingFor: "waiting for {0} s", caller: "Caller", reason: "Why they asked for a person", language: "Language", verified: "Verified identity (CNP + PIN)",
    notVerified: "Identity not verified", recentTimeline: "Recent timeline", noTimeline: "Nothing on the timeline.",
    requestsTitle: "Callbacks and messages to handle", requestsCaption: "Callbacks and messages: {0} open", created: "Received",
    callbackNumber: "Number to call", recording: "Recording", listen: "Listen to the recording ({0} s)", noRecording: "—",
    identity: "Citizen", done: "Done", doneNote: "Note for {0}", doneOk: "The request was marked done.",
    noRequests: "No open request.", seconds: "{0} s", openCitizen: "Open the citizen's record",
    showNumber: "Show the number", numberShown: "The number for {0}: {1}",
    dayOne: "1 day", daysFew: "{0} days", daysMany: "{0} days", leftOne: "{0} left", assignedDepartment: "{0} (department)",
    unmatchedTitle: "To link", unmatchedCaption: "Cases without a citizen: {0}", noUnmatched: "Every case has its citizen.",
    linkCitizen: "Link to a citizen", markDuplicate: "Mark duplicate", linkTitle: "Link case {0} to a citizen",
    searchCitizen: "Find the citizen", searchHint: "Name (without diacritics works), CNP or phone", search: "Search",
    noCitizens: "No citizen found.", linkThis: "Link to {0}", linked: "Case {0} was linked to {1}.",
    duplicateTitle: "Case {0} repeats another case", originalNumber: "The original case's number", originalHint: "like 12/2026",
    orNew: "Or register them now, from the case's details", newCitizenHint: "The case's e-mail address or phone goes into the new record.",
    firstName: "First name", lastName: "Last name", registerAndLink: "Register and link", idType: "Identity document", passport: "Passport",
    foreignId: "Foreign identity document",
    markIt: "Mark duplicate", markedDuplicate: "Case {0} was marked a duplicate of case {1}.",
    notFoundNumber: "No case numbered {0}.", cancel: "Cancel", contact: "Contact", birthYear: "Year of birth", nationalId: "National ID",
    mapTitle: "Incident map", mapLabel: "Map of the reported incidents; the same incidents are in the table below the map",
    mapCaption: "The incidents on the map: {0}", address: "Address", registered: "Registered", showOnMap: "Show on the map",
    openCase: "Open case {0}", photos: "Photos", noPhotos: "No photos.", photoOf: "Photo {0} of case {1}", serviceName: "Service",
    noIncidents: "No incident with these filters.", incidentsShown: "{0} incidents on the map.", hiddenFromPublic: "hidden from the public",
    underReview: "under review", closed: "closed", opened: "open",
  },
};

export const t = textsOf(texts);

/** Words for the server's codes (kinds, statuses, channels, reasons, priorities); an unknown code shows as it is. */
const words: Record<"ro" | "en", Record<string, string>> = {
  ro: {
    petition: "Petiție", information_request: "Cerere de informații (Legea 544)", service_request: "Cerere de serviciu", caller_waiting: "Apelant pe linie",
    callback: "Apel înapoi", message: "Mesaj vocal", failed_notification: "Notificare eșuată",
    registered: "înregistrat", assigned: "repartizat", in_progress: "în lucru", answered: "răspuns", closed: "închis",
    forwarded: "redirecționat", joined: "conexat", filed: "clasat", rejected: "respins", waiting: "așteaptă", open: "deschis", failed: "eșuat",
    desk: "ghișeu", email: "e-mail", phone: "telefon", web: "web", map: "hartă", open311: "Open311", post: "poștă", field: "teren", system: "sistem", sms: "SMS", ivr: "robot telefonic", error: "eroare în apel",
    low: "scăzută", normal: "normală", high: "mare", urgent: "urgentă",
    operator: "a cerut un operator", operator_requested: "a cerut un operator", identity_failed: "nu a reușit să se identifice",
    not_understood: "robotul nu a înțeles", out_of_hours: "în afara programului", pin_locked: "PIN blocat",
    acknowledgement: "confirmarea înregistrării", status_changed: "schimbarea stării", request_extended: "termen prelungit",
    not_answered_by_robot: "robotul nu a putut răspunde", unidentified: "neidentificat",
    citizen: "cetățean", organisation: "organizație", anonymous: "anonim", ro: "română", en: "engleză", hu: "maghiară",
  },
  en: {
    petition: "Petition", information_request: "Information request (Law 544)", service_request: "Service request", caller_waiting: "Caller on the line",
    callback: "Callback", message: "Voice message", failed_notification: "Failed notification",
    registered: "registered", assigned: "assigned", in_progress: "in progress", answered: "answered", closed: "closed",
    forwarded: "forwarded", joined: "joined (duplicate)", filed: "filed", rejected: "rejected", waiting: "waiting", open: "open", failed: "failed",
    desk: "desk", email: "e-mail", phone: "phone", web: "web", map: "map", open311: "Open311", post: "post", field: "field", system: "system", sms: "SMS", ivr: "phone robot", error: "an error in the call",
    low: "low", normal: "normal", high: "high", urgent: "urgent",
    operator: "asked for an operator", operator_requested: "asked for an operator", identity_failed: "could not identify themselves",
    not_understood: "the robot did not understand", out_of_hours: "out of hours", pin_locked: "PIN locked",
    acknowledgement: "registration acknowledgement", status_changed: "status change", request_extended: "term extended",
    not_answered_by_robot: "the robot could not answer", unidentified: "unidentified",
    citizen: "citizen", organisation: "organisation", anonymous: "anonymous", ro: "Romanian", en: "English", hu: "Hungarian",
  },
};

import { currentLang } from "../../i18n";

export function word(code: string | null | undefined): string {
  if (!code) return "—";
  return words[currentLang()][code] ?? code;
}

/** A number of days as Romanian says it: o zi; 2–19 zile; 20 de zile and up (but 101–119 zile, as the last two digits say). */
export function days(n: number): string {
  if (n === 1) return t("dayOne");
  const lastTwo = n % 100;
  return n >= 20 && (lastTwo === 0 || lastTwo >= 20) ? t("daysMany", n) : t("daysFew", n);
}

/** The term's short line: "depășit cu o zi", "mai sunt 3 zile", "expiră azi". */
export function termText(daysLeft: number | null): string {
  if (daysLeft === null) return t("noTerm");
  if (daysLeft === 0) return t("dueToday");
  if (daysLeft === 1) return t("leftOne", days(1));
  return daysLeft > 0 ? t("daysLeft", days(daysLeft)) : t("daysLate", days(-daysLeft));
}
