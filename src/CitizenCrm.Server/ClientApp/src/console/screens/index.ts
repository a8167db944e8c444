// Every screen of the console, one folder per desk; the shell matches the address against their routes in this order.
import type { Screen } from "../screens";
import { adminScreens } from "./admin/index";
import { dispatchScreens } from "./dispatch/index";
import { registryScreens } from "./registry/index";
import { supervisorScreens } from "./supervisor/index";

export const allScreens: readonly Screen[] = [...registryScreens, ...dispatchScreens, ...supervisorScreens, ...adminScreens];
