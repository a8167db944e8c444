import type { Screen } from "../../screens";
// r1: the citizen screens (search, new citizen, 360° view).
import "./citizen.css";
import { citizen360Screen } from "./citizen-360";
import { citizenNewScreen } from "./citizen-new";
import { citizenSearchScreen } from "./citizen-search";
// r2: the case screens (new registration, the case, my work).
import "./case.css";
import { caseNewScreen } from "./case-new";
import { caseViewScreen } from "./case-view";
import { myWorkScreen } from "./my-work";

export const registryScreens: Screen[] = [
  citizenSearchScreen, citizenNewScreen, citizen360Screen, // r1
  caseNewScreen,
  caseViewScreen,
  myWorkScreen,
];
