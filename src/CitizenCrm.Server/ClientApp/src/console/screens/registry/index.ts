import type { Screen } from "../../screens";
// r1: the citizen screens (search, new citizen, 360° view).
import "./citizen.css";
import { citizen360Screen } from "./citizen-360";
import { citizenNewScreen } from "./citizen-new";
import { citizenSearchScreen } from "./citizen-search";

export const registryScreens: Screen[] = [
  citizenSearchScreen, citizenNewScreen, citizen360Screen, // r1
];
