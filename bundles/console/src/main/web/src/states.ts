// Module states and their colours (spec C.1, D.1): NotReady is red, Transient orange (the former
// magenta), Ready green; NOT CONFIGURED grey and ERROR (node unreachable) red, as SafeKit's console.

export type Level = "Ready" | "Transient" | "NotReady" | "Unknown";

export interface State {
  /** STOP, WAIT, ALONE, PRIM, SECOND, UP, NOT CONFIGURED, ERROR … */
  name: string;
  level: Level;
}

const LEVELS: Level[] = ["Ready", "Transient", "NotReady"];

/** Parses the API's {@code "PRIM Ready"} (an event's local or remote state). */
export function parseState(text: string | undefined | null): State | null {
  if (!text) {
    return null;
  }
  const t = text.trim();
  const space = t.lastIndexOf(" ");
  const last = space < 0 ? "" : t.substring(space + 1);
  if ((LEVELS as string[]).includes(last)) {
    return { name: t.substring(0, space), level: last as Level };
  }
  // a peer's state may come without its level: STOP is never ready, the others are unknown
  return { name: t, level: t === "STOP" || t === "ERROR" ? "NotReady" : "Unknown" };
}

/** The CSS class that colours a state. */
export function colourClass(s: State | null): string {
  if (!s) {
    return "st-none";
  }
  if (s.name === "NOT CONFIGURED") {
    return "st-grey";
  }
  switch (s.level) {
    case "Ready":
      return "st-green";
    case "Transient":
      return "st-orange";
    case "NotReady":
      return "st-red";
    default:
      return "st-unknown";
  }
}

/** {@code safekit state -lq}'s codes (spec C.1): the rows of the states timeline. */
export function stateCode(s: State | null): number | null {
  if (!s) {
    return null;
  }
  switch (s.name) {
    case "STOP":
      return 0;
    case "WAIT":
      return 1;
    case "ALONE":
    case "UP":
      return 2;
    case "PRIM":
      return 3;
    case "SECOND":
      return 4;
    default:
      return null;
  }
}

export const CODE_NAMES = ["STOP", "WAIT", "ALONE/UP", "PRIM", "SECOND"];

/** The control verbs of a module's menu (spec F.3, G.4), mirror-only ones flagged. */
export interface Action {
  verb: string;
  label: string;
  mirrorOnly?: boolean;
  query?: string;
}

export const ACTIONS: Action[] = [
  { verb: "start", label: "Start" },
  { verb: "stop", label: "Stop" },
  { verb: "restart", label: "Restart" },
  { verb: "swap", label: "Swap", mirrorOnly: true },
  { verb: "prim", label: "Force start as primary", mirrorOnly: true },
  { verb: "second", label: "Force start as secondary", mirrorOnly: true },
  { verb: "second", label: "Secondary with full sync", mirrorOnly: true, query: "fullsync=true" },
  { verb: "stopstart", label: "Stop then start" },
  { verb: "forcestop", label: "Force stop" },
];

/** Whether a role may act on modules (Control and Admin; Monitor only watches, spec G.2). */
export function mayAct(role: string | null): boolean {
  return role === "Admin" || role === "Control";
}
