// The global menu of a module on the monitoring page (spec G.4): Start on all, Stop on all (in the
// order of global.ts) and Debug (each node's module log as a file, a dump made on every node, a
// snapshot of every node, spec G.12), with each node's result.
// Control and Admin only: a Monitor user does not see it. The results, and whether Debug is open,
// are kept here, by module, so that the page may be drawn again (a node came or went) while an
// action runs.
import * as api from "./api";
import { h } from "./dom";
import { type NodeSnapshot, type PlanStep, type StepStatus, globalPlan, primaryUntil, runPlan } from "./global";
import { logText } from "./module-list";

export interface GlobalContext {
  /** The connection node. */
  self: string;
  /** The module's nodes: those where it is installed, and those that cannot be reached. */
  nodesOf(module: string): { node: string; state: string | null; reachable: boolean }[];
  /** Resolves true once the module shows STOP on the node, false after the deadline. */
  untilStopped(module: string, node: string): Promise<boolean>;
  /** The user may make dumps (Admin; a Control user gets the API's 403, so is not offered it). */
  readonly admin: boolean;
}

interface Run {
  title: string;
  steps: PlanStep[];
  status: Map<string, StepStatus>;
  done: boolean;
}

const runs = new Map<string, Run>();

interface DumpLine {
  node: string;
  result: "pending" | "done" | "failed";
  text: string;
}

/** A module's Debug: whether it is open, what each node's log download said, the last dumps. */
interface Debug {
  open: boolean;
  logs: Map<string, string>;
  dumps: DumpLine[];
}

const debugs = new Map<string, Debug>();

function debugOf(module: string): Debug {
  let d = debugs.get(module);
  if (!d) {
    d = { open: false, logs: new Map(), dumps: [] };
    debugs.set(module, d);
  }
  return d;
}

/** What the API reports of a stopped mirror node: rfs.uptodate and when it was primary last. */
async function freshness(module: string, base: string): Promise<Partial<NodeSnapshot>> {
  const m = encodeURIComponent(module);
  const [detail, timeline] = await Promise.all([
    api.get<api.ModuleDetail>(`${base}/modules/${m}`).catch(() => null),
    api.get<{ time: string; side: string; state: string }[]>(`${base}/modules/${m}/timeline?limit=200`).catch(() => []),
  ]);
  const u = detail?.resources.find((r) => r.name === "rfs.uptodate")?.value;
  return { uptodate: u === "up" || u === "down" ? u : undefined, primaryUntil: primaryUntil(timeline, Date.now()) };
}

function line(s: PlanStep, st: StepStatus | undefined): HTMLElement {
  const kind = st?.kind ?? "pending";
  const text = st && "text" in st ? st.text : s.verb ? `${s.verb}: waiting for its turn` : "";
  return h(
    "li",
    { "data-node": s.node, "data-result": kind, class: kind === "failed" ? "error" : "" },
    h("strong", {}, s.node),
    `: ${text}`,
    s.verb && s.why ? h("small", { class: "kind" }, ` (${s.why})`) : "",
  );
}

/** The results of the module's last global action, or an empty place for them. */
export function globalResult(module: string): HTMLElement {
  const r = runs.get(module);
  const id = `global-${module}`;
  if (!r) return h("div", { id, class: "global-result", role: "status" });
  return h(
    "div",
    { id, class: "global-result", role: "status", "data-done": String(r.done) },
    h("p", {}, h("small", {}, r.done ? `${r.title}: done` : `${r.title}…`)),
    h("ol", {}, ...r.steps.map((s) => line(s, r.status.get(s.node)))),
  );
}

function redraw(module: string): void {
  document.getElementById(`global-${module}`)?.replaceWith(globalResult(module));
}

async function run(module: string, kind: string, verb: "start" | "stop", ctx: GlobalContext): Promise<void> {
  if (runs.get(module)?.done === false) return; // one global action at a time per module
  const title = verb === "start" ? "Start on all nodes" : "Stop on all nodes";
  const r: Run = { title, steps: [], status: new Map(), done: false };
  runs.set(module, r);
  redraw(module);
  const nodes: NodeSnapshot[] = await Promise.all(
    ctx.nodesOf(module).map(async (n) => ({
      ...n,
      ...(verb === "start" && kind !== "farm" && n.reachable && n.state === "STOP" ? await freshness(module, api.nodeBase(n.node, ctx.self)) : {}),
    })),
  );
  r.steps = globalPlan(verb, kind, nodes);
  await runPlan(r.steps, {
    act: async (node, v) => {
      const answer = await api.post<api.CommandResult>(`${api.nodeBase(node, ctx.self)}/modules/${encodeURIComponent(module)}/${v}`);
      return answer?.output?.trim() ? ` — ${answer.output.trim()}` : "";
    },
    stopped: (node) => ctx.untilStopped(module, node),
    report: (node, status) => {
      r.status.set(node, status);
      redraw(module);
    },
  });
  r.done = true;
  redraw(module);
}

/** Saves the node's module log (the verbose log's last 1000 rows, as the API gives them) as a file. */
async function downloadLog(module: string, node: string, base: string): Promise<void> {
  const said = (text: string) => {
    debugOf(module).logs.set(node, text);
    const out = document.getElementById(`log-result-${node}-${module}`);
    if (out) out.textContent = text;
  };
  try {
    const page = await api.get<api.LogPage>(`${base}/modules/${encodeURIComponent(module)}/log?verbose=true&limit=1000`);
    const a = h("a", { href: URL.createObjectURL(new Blob([logText(page.entries)], { type: "text/plain" })), download: `log_${node}_${module}.txt` });
    a.click();
    URL.revokeObjectURL(a.href);
    said(`${page.entries.length} rows`);
  } catch (err) {
    said(err instanceof Error ? err.message : String(err));
  }
}

function dumpItem(l: DumpLine): HTMLElement {
  return h("li", { "data-node": l.node, "data-result": l.result, class: l.result === "failed" ? "error" : "" }, h("strong", {}, l.node), `: ${l.text}`);
}

function redrawDumps(module: string): void {
  document.getElementById(`dumps-${module}`)?.replaceChildren(...debugOf(module).dumps.map(dumpItem));
}

/** Makes a dump of the module on every node that answers (`safekit dump -m AM`, Admin), each node's result listed. */
async function dumpAll(module: string, nodes: string[], self: string): Promise<void> {
  const lines: DumpLine[] = nodes.map((node) => ({ node, result: "pending", text: "dump…" }));
  debugOf(module).dumps = lines;
  redrawDumps(module);
  await Promise.all(
    nodes.map(async (n, i) => {
      let ok = false;
      let text: string;
      try {
        const r = await api.send<api.CommandResult & { error?: string }>("POST", `${api.nodeBase(n, self)}/exec`, "application/json", JSON.stringify({ args: ["dump", "-m", module] }));
        ok = r.exitCode === 0;
        text = (ok ? r.output : r.error || r.output || `exit code ${r.exitCode}`).trim() || "dump made";
      } catch (err) {
        text = err instanceof Error ? err.message : String(err);
      }
      lines[i] = { node: n, result: ok ? "done" : "failed", text };
      // a later dump on all nodes has its own lines
      if (debugOf(module).dumps === lines) redrawDumps(module);
    }),
  );
}

/** The global menu of a module (Control and Admin). */
export function globalMenu(m: { name: string; kind: string }, open: boolean, ctx: GlobalContext): HTMLElement {
  const reachable = ctx.nodesOf(m.name).filter((n) => n.reachable);
  const d = debugOf(m.name);
  const debug = reachable.map((n) => {
    const base = api.nodeBase(n.node, ctx.self);
    const said = h("small", { id: `log-result-${n.node}-${m.name}` }, d.logs.get(n.node) ?? "");
    return h(
      "li",
      {},
      h("button", { class: "outline", id: `log-${n.node}-${m.name}`, onclick: () => void downloadLog(m.name, n.node, base) }, `Module log of ${n.node}`),
      " ",
      h("a", { href: `${api.API}${base}/modules/${encodeURIComponent(m.name)}/snapshot`, download: "", id: `snapshot-${n.node}-${m.name}` }, `Snapshot of ${n.node}`),
      " ",
      said,
    );
  });
  const dumps = h("ul", { id: `dumps-${m.name}`, role: "status" }, ...d.dumps.map(dumpItem));
  return h(
    "details",
    { class: "menu global", id: `global-menu-${m.name}`, open },
    h("summary", {}, "All nodes"),
    h(
      "div",
      { class: "controls", role: "group", "aria-label": `Control ${m.name} on all its nodes` },
      h(
        "button",
        { "data-global": "start", title: "The node with the up-to-date data first, then the others", onclick: () => void run(m.name, m.kind, "start", ctx) },
        "Start on all",
      ),
      h(
        "button",
        { "data-global": "stop", class: "secondary", title: "The secondaries first, then the primary: nothing fails over", onclick: () => void run(m.name, m.kind, "stop", ctx) },
        "Stop on all",
      ),
    ),
    h(
      "details",
      { class: "menu debug", open: d.open, ontoggle: (e: Event) => (d.open = (e.target as HTMLDetailsElement).open) },
      h("summary", {}, "Debug: logs, dumps and snapshots of all nodes"),
      h("ul", { class: "snapshots" }, ...debug),
      ctx.admin
        ? h(
            "button",
            { class: "secondary", id: `dump-all-${m.name}`, title: "safekit dump on each node (Admin)", onclick: () => void dumpAll(m.name, reachable.map((n) => n.node), ctx.self) },
            "Make a dump on all nodes",
          )
        : "",
      dumps,
    ),
  );
}
