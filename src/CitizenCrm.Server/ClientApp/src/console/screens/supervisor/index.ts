// The supervisor's screens: the reports (charts, tables, CSV, the legal reports to print) and the audit of reads.
import type { Screen } from "../../screens";
import { auditScreen } from "./audit";
import { law544Screen, petitionsScreen, reportsScreen } from "./reports";
import "./supervisor.css";

export const supervisorScreens: Screen[] = [reportsScreen, law544Screen, petitionsScreen, auditScreen];
