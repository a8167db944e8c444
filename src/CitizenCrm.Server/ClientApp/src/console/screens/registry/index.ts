import type { Screen } from "../../screens";
import "./case.css";
import { caseNewScreen } from "./case-new";
import { caseViewScreen } from "./case-view";
import { myWorkScreen } from "./my-work";

export const registryScreens: Screen[] = [
  caseNewScreen,
  caseViewScreen,
  myWorkScreen,
];
