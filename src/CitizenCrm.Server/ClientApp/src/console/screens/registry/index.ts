import type { Screen } from "../../screens";

export const registryScreens: Screen[] = [];
