// The receipt a party takes home, drawn into a .print-only block of the screen (the console's print stylesheet hides
// everything else on paper) from GET /api/cases/{id}/receipt, then printed with the browser's own dialog. The receipt
// is a Romanian document of the city hall, as receipt.html is, whatever language the console is in.
import { get } from "../../api";
import { h } from "../../ui";
import type { CaseReceipt } from "./case-api";

function ro(iso: string | null): string {
  if (!iso) return "—";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${d}.${m}.${y}`;
}

/** The receipt's block: hidden on screen, the only thing on paper. */
export function receiptBlock(r: CaseReceipt): HTMLElement {
  const row = (label: string, value: string) => [h("dt", {}, label), h("dd", {}, value)];
  return h("section", { class: "print-only case-receipt", "aria-label": `Confirmare de înregistrare nr. ${r.registrationNumber}` },
    h("p", { class: "case-receipt-institution" }, r.institution),
    h("h2", { class: "case-receipt-title" }, "Confirmare de înregistrare"),
    h("p", { class: "case-receipt-number" }, `Nr. ${r.registrationNumber} din ${ro(r.registeredOn)}`),
    h("dl", {},
      row("Tip", r.kindName),
      row("Petent", r.partyName),
      row("Obiect", r.subject),
      row("Înregistrată la", r.registeredAtLocal),
      row("Termen de răspuns", ro(r.dueOn))),
    h("p", { class: "case-receipt-next" }, r.whatHappensNext),
    h("p", { class: "case-receipt-sign" }, "Registratura"));
}

/** Fetches the receipt, puts it in the holder (replacing an earlier one) and opens the print dialog. */
export async function printReceipt(caseId: string, holder: HTMLElement): Promise<void> {
  const receipt = await get<CaseReceipt>(`/api/cases/${caseId}/receipt`);
  holder.replaceChildren(receiptBlock(receipt));
  window.print();
}
