import type { Screen } from "../../screens";

export const supervisorScreens: Screen[] = [];
