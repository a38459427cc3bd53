// The global menu of a module (spec G.4, C.3): start or stop it on ALL its nodes at once, in the
// order that keeps the data and the service. Start: the node that holds the up-to-date data first
// (as primary), then the others, which follow it as secondaries. Stop: the secondaries first, and
// the primary only once they are stopped, so that nothing fails over. The order is decided here,
// from what the API reports of each node; the runner only follows it.

/** One node of the module as the console knows it when the user asks. */
export interface NodeSnapshot {
  node: string;
  /** Its local state's name (PRIM, SECOND, ALONE, WAIT, STOP, UP …), null if not heard. */
  state: string | null;
  /** False while the connection node cannot reach it (ERROR, spec C.1). */
  reachable: boolean;
  /** Its {@code rfs.uptodate} (mirror), when it could be read. */
  uptodate?: "up" | "down";
  /**
   * When it last stopped being primary (PRIM or ALONE), in ms since the epoch, from its states
   * timeline; undefined if it never was. The later one ran the application last (spec C.5).
   */
  primaryUntil?: number;
}

/** One node's part of a global action: {@code verb} null when the node is left as it is. */
export interface PlanStep {
  node: string;
  verb: "start" | "stop" | null;
  /** The steps of wave N run once wave N-1 is done (accepted for start, STOP for stop). */
  wave: number;
  /** Why this node comes here, or why it is left: shown to the user. */
  why: string;
}

const PRIMARY = new Set(["PRIM", "ALONE"]);

function byName(a: NodeSnapshot, b: NodeSnapshot): number {
  return a.node.localeCompare(b.node);
}

/**
 * The nodes that hold the newest data come first: up to date ({@code rfs.uptodate} up) before not,
 * then the one that was primary last (its primary role ended later), then by name.
 */
function freshestFirst(a: NodeSnapshot, b: NodeSnapshot): number {
  const u = (n: NodeSnapshot) => (n.uptodate === "up" ? 0 : n.uptodate === "down" ? 2 : 1);
  return u(a) - u(b) || (b.primaryUntil ?? -1) - (a.primaryUntil ?? -1) || byName(a, b);
}

function left(nodes: NodeSnapshot[], verb: "start" | "stop"): PlanStep[] {
  return nodes.map((n) => ({
    node: n.node,
    verb: null,
    wave: 0,
    why: !n.reachable
      ? `cannot be reached: not ${verb === "start" ? "started" : "stopped"}`
      : n.state === null
        ? "its state is not known yet: left as it is"
        : verb === "start"
          ? `already ${n.state}`
          : "already stopped",
  }));
}

/** The order of "Start on all" (spec C.3: the node with up-to-date data as primary). */
function startPlan(mirror: boolean, nodes: NodeSnapshot[]): PlanStep[] {
  const stopped = nodes.filter((n) => n.reachable && n.state === "STOP");
  const others = nodes.filter((n) => !stopped.includes(n));
  const running = others.filter((n) => n.reachable && n.state !== null).sort(byName);
  const skipped = left(others, "start");
  if (!mirror) {
    return [...stopped.sort(byName).map((n) => ({ node: n.node, verb: "start" as const, wave: 0, why: "" })), ...skipped];
  }
  const primary = running.find((n) => PRIMARY.has(n.state!));
  const ordered = [...stopped].sort(freshestFirst);
  const steps: PlanStep[] = ordered.map((n, i) => ({
    node: n.node,
    verb: "start",
    wave: primary || i > 0 ? 1 : 0,
    why: primary
      ? `follows ${primary.node} (${primary.state}) as secondary`
      : i === 0
        ? freshWhy(n)
        : `then, to follow ${ordered[0].node}`,
  }));
  // the running primary heads the list: that is where the data is
  return [...skipped.filter((s) => s.node === primary?.node), ...steps, ...skipped.filter((s) => s.node !== primary?.node)];
}

function freshWhy(n: NodeSnapshot): string {
  if (n.uptodate === "up") return "first: its data is up to date";
  if (n.uptodate === "down") {
    // no node says it holds every write (a first start, spec C.3): they wait, NotReady, until
    // the administrator forces the node with the good data as primary
    return "first, but no node is known to be up to date: they may wait; then use Force start as primary on the node with the good data";
  }
  if (n.primaryUntil !== undefined) return "first: it was primary last";
  return "first";
}

/** The order of "Stop on all" (UG §3.4.3.1: the secondary first, no failover). */
function stopPlan(mirror: boolean, nodes: NodeSnapshot[]): PlanStep[] {
  const running = nodes.filter((n) => n.reachable && n.state !== null && n.state !== "STOP");
  const skipped = left(
    nodes.filter((n) => !running.includes(n)),
    "stop",
  );
  const primaries = mirror ? running.filter((n) => PRIMARY.has(n.state!)).sort(byName) : [];
  const first = running.filter((n) => !primaries.includes(n)).sort(byName);
  const wave = first.length ? 1 : 0;
  return [
    ...first.map((n) => ({ node: n.node, verb: "stop" as const, wave: 0, why: mirror ? `${n.state}: first` : "" })),
    ...primaries.map((n) => ({
      node: n.node,
      verb: "stop" as const,
      wave,
      why: wave ? `${n.state}: once ${first.map((f) => f.node).join(", ")} stopped, so that nothing fails over` : n.state!,
    })),
    ...skipped,
  ];
}

/** What "Start on all" or "Stop on all" does on each node, in order (spec G.4). */
export function globalPlan(verb: "start" | "stop", kind: string, nodes: NodeSnapshot[]): PlanStep[] {
  const mirror = kind !== "farm";
  return verb === "start" ? startPlan(mirror, nodes) : stopPlan(mirror, nodes);
}

/**
 * When the node last stopped being primary, from its states timeline (GET …/timeline, newest
 * first): the time of the local change that followed its last PRIM or ALONE; {@code now} if it is
 * primary still; undefined if the timeline shows no primary role.
 */
export function primaryUntil(timeline: { time: string; side: string; state: string }[], now: number): number | undefined {
  const local = timeline.filter((c) => c.side === "local");
  const i = local.findIndex((c) => PRIMARY.has(c.state));
  if (i < 0) return undefined;
  return i === 0 ? now : Date.parse(local[i - 1].time);
}

/** What the runner reports of each step. */
export type StepStatus =
  | { kind: "pending" }
  | { kind: "running"; text: string }
  | { kind: "done"; text: string }
  | { kind: "failed"; text: string }
  | { kind: "left"; text: string };

export interface Runner {
  /** Runs the verb on the node; resolves with the node's answer, rejects with its refusal. */
  act(node: string, verb: "start" | "stop"): Promise<string>;
  /** Resolves true once the node shows STOP, false if it did not before the deadline. */
  stopped(node: string): Promise<boolean>;
  report(node: string, status: StepStatus): void;
}

/**
 * Runs a plan wave by wave. A wave that did not end well (a refusal, or for a stop a node that did
 * not reach STOP) leaves the later waves undone: stopping a primary whose secondary still runs
 * would fail over, and starting after a failed start of the freshest node could choose stale data.
 * Resolves with whether every step went through.
 */
export async function runPlan(plan: PlanStep[], r: Runner): Promise<boolean> {
  for (const s of plan) r.report(s.node, s.verb ? { kind: "pending" } : { kind: "left", text: s.why });
  const waves = [...new Set(plan.filter((s) => s.verb).map((s) => s.wave))].sort((a, b) => a - b);
  let failedOn: string[] = [];
  for (const w of waves) {
    const steps = plan.filter((s) => s.verb && s.wave === w);
    if (failedOn.length) {
      for (const s of steps) r.report(s.node, { kind: "left", text: `not ${s.verb === "start" ? "started" : "stopped"}: ${failedOn.join(", ")} did not ${s.verb}` });
      continue;
    }
    const results = await Promise.all(
      steps.map(async (s) => {
        r.report(s.node, { kind: "running", text: `${s.verb}…` });
        try {
          const answer = await r.act(s.node, s.verb!);
          const last = w === waves[waves.length - 1];
          if (s.verb === "stop" && !last) {
            r.report(s.node, { kind: "running", text: `stop accepted${answer}: waiting for STOP…` });
            if (!(await r.stopped(s.node))) {
              r.report(s.node, { kind: "failed", text: "stop accepted, but it did not reach STOP in time" });
              return false;
            }
            r.report(s.node, { kind: "done", text: "stopped" });
          } else {
            r.report(s.node, { kind: "done", text: `${s.verb} accepted${answer}` });
          }
          return true;
        } catch (err) {
          r.report(s.node, { kind: "failed", text: `${s.verb} refused: ${err instanceof Error ? err.message : String(err)}` });
          return false;
        }
      }),
    );
    failedOn = steps.filter((_, i) => !results[i]).map((s) => s.node);
  }
  return failedOn.length === 0;
}
