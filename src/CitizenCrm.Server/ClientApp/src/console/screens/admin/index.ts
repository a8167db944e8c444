// The admin's screens: accounts, catalogue, texts, registers, calendar, jobs, Open311 keys, moderation, phone scripts
// and the data-subject requests; each a table and a form.
import type { Screen } from "../../screens";
import "./admin.css";
import { dataRequestsForSupervisor, dataRequestsScreen } from "./dataRequests";
import { moderationForSupervisor, moderationScreen } from "./moderation";
import { jobsScreen, phoneScriptsScreen } from "./operations";
import { calendarScreen, catalogueScreen, open311KeysScreen, registersScreen, templatesScreen } from "./settings";
import { staffScreen } from "./staff";

export const adminScreens: Screen[] = [
  staffScreen, catalogueScreen, templatesScreen, registersScreen, calendarScreen, jobsScreen, open311KeysScreen, moderationScreen,
  phoneScriptsScreen, dataRequestsScreen, dataRequestsForSupervisor, moderationForSupervisor,
];
