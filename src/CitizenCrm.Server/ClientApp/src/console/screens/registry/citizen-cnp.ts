// The Romanian CNP, S YY MM DD JJ NNN C, checked in the browser as it is typed (the server checks it again, the same way:
// src/CitizenCrm.Core/Citizens/Cnp.cs). Control digit: the first 12 digits times 279146358279, summed, mod 11, 10 → 1.
// Sex digits 1/2: 1900s, 3/4: 1800s, 5/6: 2000s; 7, 8, 9 (residents, foreigners): the latest real date not after today.
// Counties 01–46, 47/48 (old Bucharest sectors 7 and 8), 51 Călărași, 52 Giurgiu, 70 (single code since May 2024).

export type CnpCheck =
  | { kind: "empty" }
  | { kind: "partial"; digits: number }
  | { kind: "notDigits" }
  | { kind: "tooLong"; digits: number }
  | { kind: "first" }
  | { kind: "date" }
  | { kind: "future" }
  | { kind: "county"; county: string }
  | { kind: "control"; expected: number }
  | { kind: "ok"; birth: string; county: string };

const weights = "279146358279";

export function cnpControlDigit(first12: string): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * Number(weights[i]);
  const rest = sum % 11;
  return rest === 10 ? 1 : rest;
}

function knownCounty(county: number): boolean {
  return (county >= 1 && county <= 48) || county === 51 || county === 52 || county === 70;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The real dates digits 2–7 can mean, latest century first, as yyyy-mm-dd. */
function readings(cnp: string): string[] {
  const yy = Number(cnp.slice(1, 3));
  const mm = Number(cnp.slice(3, 5));
  const dd = Number(cnp.slice(5, 7));
  const centuries = "12".includes(cnp[0]) ? [1900] : "34".includes(cnp[0]) ? [1800] : "56".includes(cnp[0]) ? [2000] : [2000, 1900];
  const result: string[] = [];
  for (const century of centuries) {
    const year = century + yy;
    if (mm >= 1 && mm <= 12 && dd >= 1 && dd <= daysIn(year, mm))
      result.push(`${year}-${String(mm).padStart(2, "0")}-${String(dd).padStart(2, "0")}`);
  }
  return result;
}

/** What is wrong with a CNP typed so far (spaces ignored), checking each part as soon as its digits are there. */
export function checkCnp(typed: string, today: string = new Date().toISOString().slice(0, 10)): CnpCheck {
  const cnp = typed.replace(/\s/g, "");
  if (cnp === "") return { kind: "empty" };
  if (!/^\d+$/.test(cnp)) return { kind: "notDigits" };
  if (cnp.length > 13) return { kind: "tooLong", digits: cnp.length };
  if (cnp[0] === "0") return { kind: "first" };
  if (cnp.length >= 7) {
    const dates = readings(cnp);
    if (dates.length === 0) return { kind: "date" };
    if (!dates.some((d) => d <= today)) return { kind: "future" };
  }
  if (cnp.length >= 9 && !knownCounty(Number(cnp.slice(7, 9)))) return { kind: "county", county: cnp.slice(7, 9) };
  if (cnp.length < 13) return { kind: "partial", digits: cnp.length };
  const expected = cnpControlDigit(cnp.slice(0, 12));
  if (expected !== Number(cnp[12])) return { kind: "control", expected };
  return { kind: "ok", birth: readings(cnp).filter((d) => d <= today)[0], county: cnp.slice(7, 9) };
}
