import { describe, expect, it } from "vitest";
import { type NodeSnapshot, type PlanStep, type StepStatus, globalPlan, primaryUntil, runPlan } from "../src/global";

const node = (name: string, state: string | null, more: Partial<NodeSnapshot> = {}): NodeSnapshot => ({
  node: name,
  state,
  reachable: true,
  ...more,
});

/** "verb node@wave" for the nodes acted on, "-node" for those left, in plan order. */
const brief = (plan: PlanStep[]) => plan.map((s) => (s.verb ? `${s.verb} ${s.node}@${s.wave}` : `-${s.node}`));

describe("global menu order (spec G.4, C.3)", () => {
  it("PRIM + SECOND: stop the secondary first, then the primary; start leaves both", () => {
    const nodes = [node("n1", "PRIM"), node("n2", "SECOND")];
    expect(brief(globalPlan("stop", "mirror", nodes))).toEqual(["stop n2@0", "stop n1@1"]);
    const start = globalPlan("start", "mirror", nodes);
    expect(brief(start)).toEqual(["-n1", "-n2"]);
    expect(start[0].why).toBe("already PRIM");
  });

  it("the order does not depend on the nodes' order or names", () => {
    const nodes = [node("a", "SECOND"), node("b", "PRIM")];
    expect(brief(globalPlan("stop", "mirror", nodes))).toEqual(["stop a@0", "stop b@1"]);
  });

  it("ALONE + STOP: start the stopped node to follow the primary; stop the primary alone", () => {
    const nodes = [node("n1", "STOP", { uptodate: "up", primaryUntil: 5 }), node("n2", "ALONE", { uptodate: "up" })];
    const start = globalPlan("start", "mirror", nodes);
    expect(brief(start)).toEqual(["-n2", "start n1@1"]);
    expect(start[1].why).toContain("follows n2 (ALONE)");
    expect(brief(globalPlan("stop", "mirror", nodes))).toEqual(["stop n2@0", "-n1"]);
  });

  it("both STOP, one not up to date: the up-to-date one starts first", () => {
    const nodes = [node("n1", "STOP", { uptodate: "down", primaryUntil: 2000 }), node("n2", "STOP", { uptodate: "up", primaryUntil: 1000 })];
    const start = globalPlan("start", "mirror", nodes);
    expect(brief(start)).toEqual(["start n2@0", "start n1@1"]);
    expect(start[0].why).toContain("up to date");
    expect(brief(globalPlan("stop", "mirror", nodes))).toEqual(["-n1", "-n2"]);
  });

  it("both STOP and up to date: the one that was primary last starts first", () => {
    const nodes = [node("n1", "STOP", { uptodate: "up", primaryUntil: 1000 }), node("n2", "STOP", { uptodate: "up", primaryUntil: 3000 })];
    expect(brief(globalPlan("start", "mirror", nodes))).toEqual(["start n2@0", "start n1@1"]);
    // neither up to date (a first start, spec C.3): said, as they will wait
    const first = globalPlan("start", "mirror", [node("n1", "STOP", { uptodate: "down" }), node("n2", "STOP", { uptodate: "down" })]);
    expect(brief(first)).toEqual(["start n1@0", "start n2@1"]);
    expect(first[0].why).toContain("Force start as primary");
    // nothing known: by name, a start the automaton arbitrates (both meet in WAIT)
    expect(brief(globalPlan("start", "mirror", [node("n2", "STOP"), node("n1", "STOP")]))).toEqual(["start n1@0", "start n2@1"]);
  });

  it("a node down is left, the others go on", () => {
    const down = { reachable: false };
    expect(brief(globalPlan("start", "mirror", [node("n1", "STOP", down), node("n2", "STOP", { uptodate: "up" })]))).toEqual(["start n2@0", "-n1"]);
    const stop = globalPlan("stop", "mirror", [node("n1", "PRIM"), node("n2", "SECOND", down)]);
    expect(brief(stop)).toEqual(["stop n1@0", "-n2"]);
    expect(stop[1].why).toBe("cannot be reached: not stopped");
  });

  it("a farm starts and stops every node at once", () => {
    const nodes = [node("n1", "UP"), node("n2", "STOP"), node("n3", "UP")];
    expect(brief(globalPlan("stop", "farm", nodes))).toEqual(["stop n1@0", "stop n3@0", "-n2"]);
    expect(brief(globalPlan("start", "farm", nodes))).toEqual(["start n2@0", "-n1", "-n3"]);
  });

  it("WAIT is stopped with the secondaries, before the primary", () => {
    expect(brief(globalPlan("stop", "mirror", [node("n1", "ALONE"), node("n2", "WAIT")]))).toEqual(["stop n2@0", "stop n1@1"]);
  });
});

describe("when a node was primary last (states timeline, newest first)", () => {
  it("is when its next local state began", () => {
    const t = [
      { time: "2026-12-05T10:00:09Z", side: "local", state: "STOP" },
      { time: "2026-12-05T10:00:08Z", side: "remote", state: "UNKNOWN" },
      { time: "2026-12-05T10:00:07Z", side: "local", state: "WAIT" },
      { time: "2026-12-05T10:00:05Z", side: "local", state: "ALONE" },
      { time: "2026-12-05T10:00:01Z", side: "local", state: "SECOND" },
    ];
    expect(primaryUntil(t, 99)).toBe(Date.parse("2026-12-05T10:00:07Z"));
    expect(primaryUntil([{ time: "2026-12-05T10:00:05Z", side: "local", state: "PRIM" }], 99)).toBe(99);
    expect(primaryUntil([{ time: "2026-12-05T10:00:05Z", side: "local", state: "SECOND" }], 99)).toBeUndefined();
  });
});

/** A runner whose nodes answer as told, recording the calls and the last status of each node. */
function fake(answers: Record<string, "ok" | "refused" | "stuck">) {
  const calls: string[] = [];
  const shown = new Map<string, StepStatus>();
  return {
    calls,
    shown,
    runner: {
      act: async (n: string, verb: string) => {
        calls.push(`${verb} ${n}`);
        if (answers[n] === "refused") throw new Error("409 already running");
        return "";
      },
      stopped: async (n: string) => {
        calls.push(`wait ${n}`);
        return answers[n] !== "stuck";
      },
      report: (n: string, s: StepStatus) => void shown.set(n, s),
    },
  };
}

describe("running a global action", () => {
  it("stops the primary only once the secondary reached STOP", async () => {
    const f = fake({ n1: "ok", n2: "ok" });
    const ok = await runPlan(globalPlan("stop", "mirror", [node("n1", "PRIM"), node("n2", "SECOND")]), f.runner);
    expect(ok).toBe(true);
    expect(f.calls).toEqual(["stop n2", "wait n2", "stop n1"]);
    expect(f.shown.get("n1")?.kind).toBe("done");
    expect(f.shown.get("n2")).toEqual({ kind: "done", text: "stopped" });
  });

  it("leaves the primary running when the secondary does not stop", async () => {
    for (const how of ["refused", "stuck"] as const) {
      const f = fake({ n1: "ok", n2: how });
      const ok = await runPlan(globalPlan("stop", "mirror", [node("n1", "PRIM"), node("n2", "SECOND")]), f.runner);
      expect(ok).toBe(false);
      expect(f.calls).not.toContain("stop n1");
      expect(f.shown.get("n2")?.kind).toBe("failed");
      expect(f.shown.get("n1")).toEqual({ kind: "left", text: "not stopped: n2 did not stop" });
    }
  });

  it("starts the others once the freshest node accepted, and not when it refused", async () => {
    const nodes = [node("n1", "STOP"), node("n2", "STOP", { uptodate: "up" }), node("n3", "STOP", { reachable: false })];
    const f = fake({ n1: "ok", n2: "ok" });
    expect(await runPlan(globalPlan("start", "mirror", nodes), f.runner)).toBe(true);
    expect(f.calls).toEqual(["start n2", "start n1"]);
    expect(f.shown.get("n3")).toEqual({ kind: "left", text: "cannot be reached: not started" });

    const g = fake({ n1: "ok", n2: "refused" });
    expect(await runPlan(globalPlan("start", "mirror", nodes), g.runner)).toBe(false);
    expect(g.calls).toEqual(["start n2"]);
    expect(g.shown.get("n2")).toEqual({ kind: "failed", text: "start refused: 409 already running" });
  });
});
