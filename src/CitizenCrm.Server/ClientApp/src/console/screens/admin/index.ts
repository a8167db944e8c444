// The admin's screens: accounts, catalogue, texts, registers, calendar, jobs, Open311 keys and phone scripts; and two
// screens kept here though sections.json gives them to others: map moderation (dispatchers, supervisors) and the
// data-subject requests (supervisors), as their endpoints allow. Each a table and a form.
import type { Screen } from "../../screens";
import "./admin.css";
import { dataRequestsScreen } from "./dataRequests";
import { moderationScreen } from "./moderation";
import { jobsScreen, phoneScriptsScreen } from "./operations";
import { calendarScreen, catalogueScreen, open311KeysScreen, registersScreen, templatesScreen } from "./settings";
import { staffScreen } from "./staff";

export const adminScreens: Screen[] = [
  staffScreen, catalogueScreen, templatesScreen, registersScreen, calendarScreen, jobsScreen, open311KeysScreen, moderationScreen,
  phoneScriptsScreen, dataRequestsScreen,
];
