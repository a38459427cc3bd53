// What a click on a row of the module log opens (spec G.4: "click → verbose context or script
// output"): the verbose rows around it, read by sequence number (the main log is a view of the
// verbose one: the numbers are the same), and for a row that reports a script, what the script
// printed: its application log (spec B.8), which the script's end row names.
import type { LogEntry } from "./api";

/** Rows of the verbose log shown before and after the row clicked. */
export const CONTEXT_ROWS = 10;

/** The script a row reports, and its application log when the row names it. */
export interface ScriptRow {
  /** The script's name (start_prim, stop_prim, an rfs callback …): the application logs' key. */
  script: string;
  /** What follows "Script " up to the end of the run's label: the end row repeats it. */
  label: string;
  /** The application log, userlog_<date>T<time>_<script>.ulog, when the row names it. */
  ulog: string | null;
}

const ENDED = /^Script (.+) ended with exit code -?\d+ \((userlog_[^()\s]+\.ulog)\)$/;
const STOPPED = /^Script (\S+) (?:timed out after .*|killed by forcestop)$/;
const STARTED = /^Script (.+)$/;

/**
 * The script of a row written by the module runtime (userplug): its start ("Script start_prim"),
 * its end ("Script start_prim ended with exit code 1 (userlog_….ulog)"), a timeout or a forced
 * stop. Null for other rows, and for a script that could not run (it printed nothing).
 */
export function scriptOf(e: Pick<LogEntry, "component" | "message">): ScriptRow | null {
  if (e.component !== "userplug") return null;
  const m = e.message.trim();
  const ended = ENDED.exec(m);
  if (ended) return { script: firstWord(ended[1]), label: ended[1], ulog: ended[2] };
  if (m.includes(" cannot run: ")) return null;
  const stopped = STOPPED.exec(m);
  if (stopped) return { script: stopped[1], label: stopped[1], ulog: null };
  const started = STARTED.exec(m);
  return started ? { script: firstWord(started[1]), label: started[1], ulog: null } : null;
}

function firstWord(s: string): string {
  return s.split(" ", 1)[0];
}

/**
 * The application log of the run that {@code row} reports, from the rows after it: the first end
 * row of the same run (same label) names it. Null while the script still runs.
 */
export function ulogAfter(row: LogEntry, script: ScriptRow, after: LogEntry[]): string | null {
  if (script.ulog) return script.ulog;
  for (const e of after) {
    if (e.seq <= row.seq) continue;
    const s = scriptOf(e);
    if (s?.ulog && (s.label === script.label || s.script === script.label)) return s.ulog;
  }
  return null;
}

/** The verbose rows around one: those before it and those from it on, in order, without twins. */
export interface Context {
  rows: LogEntry[];
  /** Where the row clicked is in {@code rows}; -1 when the log no longer has it (purged). */
  at: number;
}

export function context(seq: number, before: LogEntry[], from: LogEntry[]): Context {
  const bySeq = new Map<number, LogEntry>();
  for (const e of [...before, ...from]) bySeq.set(e.seq, e);
  const rows = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { rows, at: rows.findIndex((e) => e.seq === seq) };
}

/** The queries of the context of row {@code seq}: the rows before it, and it with those after. */
export function contextQueries(seq: number, rows = CONTEXT_ROWS): { before: string; from: string } {
  return {
    before: new URLSearchParams({ verbose: "true", before: String(seq), limit: String(rows) }).toString(),
    from: new URLSearchParams({ verbose: "true", after: String(seq - 1), limit: String(rows + 1) }).toString(),
  };
}
