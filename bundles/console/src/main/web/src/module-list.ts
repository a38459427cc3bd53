// What the module list (modules.ts, spec G.4 "Configuration", F.5) decides without the page: the
// modules of a node from its two answers (the configured ones with their states, GET /modules; the
// installed ones with their ids, `safekit module listid`), the actions each role may take on one,
// and the module log as a text file (the global menu's Debug).
import type { LogEntry, ModuleRow } from "./api";

/** One module installed on one node. */
export interface ModuleEntry {
  name: string;
  id: number | null;
  /** mirror, farm, light: known once the module is configured (the runtime reads it then). */
  kind: string | null;
  configured: boolean;
  /** "STOP NotReady", "PRIM Ready" … (spec C.1), for a configured module. */
  state: string | null;
}

/** `safekit module listid`: one "name id" a line. A line that is not one is skipped. */
export function parseListId(output: string): { name: string; id: number }[] {
  const out: { name: string; id: number }[] = [];
  for (const line of output.split("\n")) {
    const m = /^\s*(\S+)\s+(\d+)\s*$/.exec(line);
    if (m) out.push({ name: m[1], id: Number(m[2]) });
  }
  return out;
}

/**
 * The modules of a node, by name: every configured one (the API's rows), and every installed one
 * that is not (only `installed` knows those: null when the role may not ask, spec G.2).
 */
export function mergeModules(rows: ModuleRow[], installed: { name: string; id: number }[] | null): ModuleEntry[] {
  const byName = new Map<string, ModuleEntry>();
  for (const r of rows) byName.set(r.name, { name: r.name, id: r.id, kind: r.kind, configured: true, state: `${r.state} ${r.readiness}`.trim() });
  for (const i of installed ?? []) {
    if (!byName.has(i.name)) byName.set(i.name, { name: i.name, id: i.id, kind: null, configured: false, state: null });
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export type ModuleAction = "configure" | "deconfigure" | "uninstall" | "download" | "restore";

/**
 * The actions offered on a module: all of them to an Admin (spec G.2), none to the others. A
 * module that runs is not guarded here: the node refuses to uninstall it and the page shows why.
 */
export function actionsFor(role: string | null, e: ModuleEntry): ModuleAction[] {
  if (role !== "Admin") return [];
  return e.configured ? ["configure", "deconfigure", "uninstall", "download", "restore"] : ["configure", "uninstall", "download", "restore"];
}

/** The module name a .safe file suggests: its base name, as `safekit module install AM.safe`. */
export function moduleNameOf(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, "");
  return base.toLowerCase().endsWith(".safe") ? base.slice(0, -".safe".length) : base;
}

/** The module log as text, oldest first, one row a line: `| time | component | level | message`. */
export function logText(entries: LogEntry[]): string {
  return [...entries]
    .sort((a, b) => a.seq - b.seq)
    .map((e) => `| ${e.time} | ${e.component} | ${e.level} | ${e.message}\n`)
    .join("");
}
