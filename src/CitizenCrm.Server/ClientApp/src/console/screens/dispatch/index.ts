import type { Screen } from "../../screens";

export const dispatchScreens: Screen[] = [];
