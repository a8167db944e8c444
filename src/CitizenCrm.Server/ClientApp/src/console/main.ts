import "./styles.css";
import { allScreens } from "./screens/index";
import { Shell } from "./shell";

void new Shell(allScreens).start();
