// The dispatcher's screens: the one queue, the callers waiting, the unmatched cases, the incident map.
import type { Screen } from "../../screens";
import "./dispatch.css";
import { callersScreen } from "./callers";
import { incidentMapScreen } from "./incident-map";
import { queueScreen } from "./queue";
import { unmatchedScreen } from "./unmatched";

export const dispatchScreens: Screen[] = [queueScreen, callersScreen, unmatchedScreen, incidentMapScreen];
