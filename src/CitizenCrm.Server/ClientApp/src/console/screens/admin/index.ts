import type { Screen } from "../../screens";

export const adminScreens: Screen[] = [];
