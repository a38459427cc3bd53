import { describe, expect, it } from "vitest";
import type { LogEntry } from "../src/api";
import { context, contextQueries, scriptOf, ulogAfter } from "../src/log-context";

const row = (seq: number, component: string, level: string, message: string): LogEntry => ({
  seq,
  time: `2026-12-05T10:00:${String(seq % 60).padStart(2, "0")}Z`,
  component,
  level,
  message,
});

describe("the script a module log row reports (spec G.4: click → script output)", () => {
  it("reads a script's start, its end with the application log, a timeout and a forced stop", () => {
    expect(scriptOf(row(1, "userplug", "S", "Script start_prim"))).toEqual({ script: "start_prim", label: "start_prim", ulog: null });
    expect(scriptOf(row(2, "userplug", "W", "Script stop_prim ended with exit code 3 (userlog_2026-12-05T101500_stop_prim.ulog)"))).toEqual({
      script: "stop_prim",
      label: "stop_prim",
      ulog: "userlog_2026-12-05T101500_stop_prim.ulog",
    });
    expect(scriptOf(row(3, "userplug", "E", "Script stop_prim timed out after 300s: killed"))?.script).toBe("stop_prim");
    expect(scriptOf(row(4, "userplug", "E", "Script start_both killed by forcestop"))?.script).toBe("start_both");
    // an rfs callback's label carries its argument: the script is the first word
    expect(scriptOf(row(5, "userplug", "S", "Script rfs_callback _rfs_in_sync"))).toEqual({
      script: "rfs_callback",
      label: "rfs_callback _rfs_in_sync",
      ulog: null,
    });
  });

  it("is none for other rows and for a script that could not run", () => {
    expect(scriptOf(row(1, "heart", "E", "Local state PRIM Ready"))).toBeNull();
    expect(scriptOf(row(2, "heart", "S", "Script start_prim"))).toBeNull();
    expect(scriptOf(row(3, "userplug", "E", "Script start_prim cannot run: Permission denied"))).toBeNull();
  });

  it("finds the application log of a run in its end row, not in another script's or an earlier one", () => {
    const start = row(10, "userplug", "S", "Script start_prim");
    const after = [
      row(8, "userplug", "I", "Script start_prim ended with exit code 0 (userlog_old_start_prim.ulog)"),
      start,
      row(11, "userplug", "I", "Script stop_prim ended with exit code 0 (userlog_2026-12-05T101501_stop_prim.ulog)"),
      row(12, "heart", "E", "Local state PRIM Ready"),
      row(13, "userplug", "I", "Script start_prim ended with exit code 0 (userlog_2026-12-05T101500_start_prim.ulog)"),
    ];
    expect(ulogAfter(start, scriptOf(start)!, after)).toBe("userlog_2026-12-05T101500_start_prim.ulog");
    expect(ulogAfter(start, scriptOf(start)!, after.slice(0, 4))).toBeNull(); // still running
    const timedOut = row(20, "userplug", "E", "Script stop_prim timed out after 300s: killed");
    const ended = row(21, "userplug", "W", "Script stop_prim ended with exit code 137 (userlog_x_stop_prim.ulog)");
    expect(ulogAfter(timedOut, scriptOf(timedOut)!, [ended])).toBe("userlog_x_stop_prim.ulog");
    const callback = row(30, "userplug", "S", "Script rfs_callback _rfs_in_sync");
    const callbackEnd = row(31, "userplug", "I", "Script rfs_callback _rfs_in_sync ended with exit code 0 (userlog_y_rfs_callback.ulog)");
    expect(ulogAfter(callback, scriptOf(callback)!, [callbackEnd])).toBe("userlog_y_rfs_callback.ulog");
  });
});

describe("the verbose context of a row", () => {
  it("asks for the rows before it, and for it with the rows after", () => {
    const q = contextQueries(412, 10);
    expect(Object.fromEntries(new URLSearchParams(q.before))).toEqual({ verbose: "true", before: "412", limit: "10" });
    expect(Object.fromEntries(new URLSearchParams(q.from))).toEqual({ verbose: "true", after: "411", limit: "11" });
  });

  it("merges both pages in order without twins and marks the row", () => {
    const before = [row(3, "heart", "I", "a"), row(7, "heart", "D", "b")];
    const from = [row(9, "heart", "E", "c"), row(12, "heart", "I", "d"), row(7, "heart", "D", "b")];
    const c = context(9, before, from);
    expect(c.rows.map((e) => e.seq)).toEqual([3, 7, 9, 12]);
    expect(c.at).toBe(2);
    expect(context(5, before, []).at).toBe(-1); // purged meanwhile
  });
});
