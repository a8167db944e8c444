// What a screen is: the section whose roles may open it, its address (a hash route such as #/citizen/<id>), and how it draws.
import sectionsFile from "./sections.json";

export interface Me {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  department: string | null;
}

export interface Section {
  id: string;
  group: string;
  roles: string[];
  api: string;
}

export const sections: readonly Section[] = sectionsFile.sections;

export interface ScreenContext {
  me: Me;
  /** The route's captured parts (#/citizen/<id> gives [id]). */
  params: string[];
  /** The route's query (#/queue?status=open). */
  query: URLSearchParams;
  navigate(route: string): void;
  /** Work to stop when the person leaves the screen (a live stream, a timer). */
  onLeave(cleanup: () => void): void;
}

export interface Screen {
  /** The section (sections.json) whose roles may open this screen. */
  section: string;
  /** The hash route without "#/", with groups for its parameters. */
  route: RegExp;
  render(main: HTMLElement, ctx: ScreenContext): void | Promise<void>;
}

export function mayOpen(me: Me, sectionId: string): boolean {
  const section = sections.find((s) => s.id === sectionId);
  return !!section && section.roles.includes(me.role);
}
