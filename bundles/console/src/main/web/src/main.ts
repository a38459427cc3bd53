// The Bulwark web console (spec G.4): login, monitoring of every module on every node of the
// cluster updated live by server push (GET /api/v1.0/events/cluster, which the serving node relays
// from the others), the control menus of every node (through /nodes/<node>/…), module details with
// the live module log, resources, reintegration progress, information, snapshot and the states
// timeline, the global menu of each module (all its nodes at once), the commands log of every node,
// and the "degraded" indication of a mirror that runs alone. Everything goes through the REST API, which checks the user's role on every call (on the
// other nodes too): what this page hides from a Monitor user, the API refuses.
import "@picocss/pico/css/pico.min.css";
import "./style.css";
import type uPlot from "uplot";
import * as api from "./api";
import { type ClusterNode, parseClusterState, selfName } from "./cluster";
import { showCommands } from "./cmdlog";
import { DegradedBadges } from "./degraded";
import { readTimeline, renderInformation, renderReintegration, renderResources, snapshotLink, tabs } from "./details";
import { clear, h } from "./dom";
import { type GlobalContext, globalMenu, globalResult } from "./global-menu";
import { ModuleLog } from "./log";
import { ACTIONS, colourClass, mayAct, parseState, stateCode } from "./states";
import type { Sample } from "./timeline";
import { samplesOf, withLive } from "./timeline-history";

/** One module on one node, as the events told it. */
interface Cell {
  local: string | null;
  remote: string | null;
  since: string | null;
  samples: Sample[];
}

interface ModuleView {
  name: string;
  id: number;
  kind: string;
  /** By node name: the nodes where the module is installed. */
  on: Map<string, Cell>;
}

/** A node of the cluster: UP, ERROR while this node cannot reach it (spec C.1), or not yet known. */
interface NodeView {
  name: string;
  addr: string;
  status: "UP" | "ERROR" | "";
  detail?: string;
}

const app = document.getElementById("app")!;
const sessionBar = document.getElementById("session")!;
const nodeName = document.getElementById("node-name")!;

const modules = new Map<string, ModuleView>();
/** Every node of the cluster, in the order of cluster.xml; this node alone without one. */
const nodes = new Map<string, NodeView>();
/** This node's name: the console's connection node (spec G.4). */
let self = "";
let role: string | null = sessionStorage.getItem("bulwark.role");
let user: string | null = sessionStorage.getItem("bulwark.user");
let events: EventSource | null = null;
let node: api.NodeInfo = {};
let clusterNodes: ClusterNode[] = [];
let moduleLog: ModuleLog | null = null;
let chart: uPlot | null = null;
/** Conditions on the states that a global action waits for, checked at each state event. */
const waiters = new Set<() => boolean>();

// ---- status line (role=status: read out by screen readers) -------------------------------------

const status = h("p", { id: "status", role: "status", class: "status" });

function say(text: string, error = false): void {
  status.textContent = text;
  status.classList.toggle("error", error);
}

// ---- login ------------------------------------------------------------------------------------

function showLogin(message?: string): void {
  stopLive();
  clear(sessionBar);
  clear(app);
  const error = h("p", { id: "login-error", role: "alert", class: "error" }, message ?? "");
  const userField = h("input", {
    id: "user",
    name: "httpd_username",
    autocomplete: "username",
    required: true,
  });
  const password = h("input", {
    id: "password",
    name: "httpd_password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const form = h(
    "form",
    { id: "login", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Log in"),
    h("label", { for: "user" }, "User", userField),
    h("label", { for: "password" }, "Password", password),
    h("button", { type: "submit" }, "Log in"),
    error,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    try {
      const who = (await api.post<api.Login>("/login", {
        httpd_username: userField.value,
        httpd_password: password.value,
      }))!;
      user = who.user;
      role = who.role;
      sessionStorage.setItem("bulwark.user", who.user);
      sessionStorage.setItem("bulwark.role", who.role);
      location.hash = "#/monitoring";
      await start();
    } catch (err) {
      error.textContent = err instanceof Error ? err.message : String(err);
      password.select();
    }
  });
  app.append(h("article", { class: "login" }, form));
  userField.focus();
}

async function logout(): Promise<void> {
  try {
    await api.post("/logout");
  } finally {
    sessionStorage.clear();
    role = null;
    user = null;
    showLogin("Logged out.");
  }
}

function renderSession(): void {
  clear(sessionBar);
  sessionBar.append(
    h("li", {}, h("span", { id: "who" }, `${user ?? "?"} (${role ?? "Monitor"})`)),
    h("li", {}, h("button", { id: "logout", class: "secondary outline", onclick: () => void logout() }, "Log out")),
  );
}

// ---- live states ------------------------------------------------------------------------------

function stopLive(): void {
  events?.close();
  events = null;
  moduleLog?.stop();
  moduleLog = null;
}

function sample(c: Cell, time: string): void {
  const t = Date.parse(time) / 1000 || Date.now() / 1000;
  c.samples.push({ t, local: stateCode(parseState(c.local)), remote: stateCode(parseState(c.remote)) });
  if (c.samples.length > 2000) {
    c.samples.splice(0, c.samples.length - 2000);
  }
}

function nodeView(name: string): NodeView {
  let n = nodes.get(name);
  if (!n) {
    n = { name, addr: "", status: "" };
    nodes.set(name, n);
  }
  return n;
}

/**
 * Every node's states by server push (GET /events/cluster): the node serving the console follows
 * the others' streams and relays them, so one console shows the whole cluster (spec G.4).
 */
function openEvents(): void {
  events?.close();
  const source = new EventSource(api.API + "/events/cluster");
  events = source;
  source.addEventListener("state", (e) => {
    const ev = JSON.parse((e as MessageEvent).data) as api.NodeStateEvent;
    let m = modules.get(ev.module);
    if (ev.local === undefined) {
      m?.on.delete(ev.node);
      if (m && m.on.size === 0) modules.delete(ev.module);
    } else {
      if (!m) {
        m = { name: ev.module, id: 0, kind: "", on: new Map() };
        modules.set(ev.module, m);
        void refreshModules(ev.node);
      }
      let c = m.on.get(ev.node);
      if (!c) {
        c = { local: null, remote: null, since: null, samples: [] };
        m.on.set(ev.node, c);
      }
      c.local = ev.local;
      c.remote = ev.remote ?? null;
      c.since = ev.time;
      sample(c, ev.time);
    }
    renderStates(ev.module, ev.node);
    recordShown(ev);
    for (const w of waiters) if (w()) waiters.delete(w);
    const now = modules.get(ev.module);
    if (now) degradedBadges.read(now.name, [...now.on.keys()]);
  });
  source.addEventListener("node", (e) => {
    const ev = JSON.parse((e as MessageEvent).data) as api.NodeStatus;
    const n = nodeView(ev.node);
    n.status = ev.status;
    n.detail = ev.detail;
    if (ev.status === "UP") {
      // the node's current states follow: what it said before it went away may be stale
      for (const m of modules.values()) m.on.delete(ev.node);
    }
    // the pages that show nodes are drawn again; a wizard or the commands log keeps what is typed
    const kind = currentView().kind;
    if (kind === "monitoring" || kind === "module") route();
    recordShown({ node: ev.node, module: "", local: ev.status, time: ev.time });
  });
  source.addEventListener("open", () => document.body.classList.remove("offline"));
  source.addEventListener("error", () => {
    document.body.classList.add("offline");
    if (source.readyState === EventSource.CLOSED) {
      // refused (session expired or ended): the API says which
      void api.get("/node").then(
        () => window.setTimeout(() => events === source && openEvents(), 2000),
        (err) => {
          if (err instanceof api.ApiError && err.status === 401) {
            showLogin("Your session has ended: log in again.");
          }
        },
      );
    }
  });
}

declare global {
  interface Window {
    __bulwarkShown?: { node: string; module: string; local: string; event: number; shown: number }[];
  }
}

/**
 * When each state was painted here, with the time the node saw it (the event's time): read by the
 * end-to-end test and the latency benchmark (docs/benchmarks.md). The last 200.
 */
function recordShown(ev: api.NodeStateEvent): void {
  requestAnimationFrame(() => {
    const list = (window.__bulwarkShown ??= []);
    list.push({ node: ev.node, module: ev.module, local: ev.local ?? "", event: Date.parse(ev.time), shown: Date.now() });
    if (list.length > 200) list.shift();
  });
}

/** The nodes whose module list is being read: one read for the modules that come together. */
const listing = new Set<string>();

/** The ids and kinds of the modules of a node (its states come from the events). */
async function refreshModules(on: string): Promise<void> {
  if (listing.has(on)) return;
  listing.add(on);
  let rows: api.ModuleRow[];
  try {
    rows = await api.get<api.ModuleRow[]>(`${api.nodeBase(on, self)}/modules`);
  } catch {
    return; // the node went away: it shows ERROR
  } finally {
    listing.delete(on);
  }
  for (const r of rows) {
    const m = modules.get(r.name);
    if (m) {
      m.id = r.id;
      m.kind = r.kind;
    }
  }
  if (!inWizard()) route();
}

/** A wizard keeps its page while modules change: its forms and results are not redrawn. */
function inWizard(): boolean {
  return currentView().kind.endsWith("-wizard");
}

function badge(text: string | null, id: string): HTMLElement {
  const s = parseState(text);
  return h(
    "span",
    {
      class: `state ${colourClass(s)}`,
      id,
      "data-state": s?.name ?? "",
      title: s?.level === "Unknown" ? "as this node last heard it: its level is not known here" : undefined,
    },
    s ? `${s.name}${s.level === "Unknown" ? "" : " " + s.level}` : "—",
  );
}

/** A module's state on a node: ERROR while the node cannot be reached (spec C.1), — if absent. */
function cellBadge(m: ModuleView, on: string, id: string): HTMLElement {
  const n = nodes.get(on);
  if (n?.status === "ERROR") {
    const b = badge("ERROR", id);
    b.title = `${on} cannot be reached: ${n.detail ?? ""}`;
    return b;
  }
  const c = m.on.get(on);
  const b = badge(c?.local ?? null, id);
  if (!c) b.title = `not installed on ${on}`;
  return b;
}

/** Updates the badges of one module on one node wherever they are shown, without a rebuild. */
function renderStates(name: string, on: string): void {
  const m = modules.get(name);
  const view = currentView();
  if (!m || (view.kind === "monitoring" && !document.getElementById(`row-${name}`))) {
    if (!inWizard()) route();
    return;
  }
  if (view.kind === "monitoring") {
    // the module came to or left that node: its cell gains or loses the menu
    const cell = document.getElementById(`cell-${on}-${name}`);
    const menu = m.on.has(on) && nodes.get(on)?.status !== "ERROR";
    if (!cell || (cell.querySelector("details") !== null) !== menu) {
      route();
      return;
    }
  }
  for (const id of [`st-${on}-${name}`, `detail-${on}-${name}`]) {
    document.getElementById(id)?.replaceWith(cellBadge(m, on, id));
  }
  degradedBadges.render(name, on);
  const remote = document.getElementById(`detail-${on}-${name}-remote`);
  remote?.replaceWith(badge(m.on.get(on)?.remote ?? null, `detail-${on}-${name}-remote`));
  if (view.kind === "module" && view.name === name && view.node === on) {
    void refreshDetail(m, on);
  }
}

// ---- control menu ------------------------------------------------------------------------------

/** The local menu of a module on a node (spec G.4): the node's own API, through this one. */
function controls(m: ModuleView, on: string): HTMLElement {
  const allowed = mayAct(role);
  const buttons = ACTIONS.filter((a) => !a.mirrorOnly || m.kind !== "farm").map((a) =>
    h(
      "button",
      {
        class: a.verb === "stop" || a.verb === "forcestop" ? "secondary" : "",
        "data-action": a.verb + (a.query ? "-full" : ""),
        disabled: !allowed,
        title: allowed ? `${a.verb} -m ${m.name} on ${on}` : "Your role (Monitor) can only watch",
        onclick: () => void act(on, m.name, a.verb, a.query),
      },
      a.label,
    ),
  );
  return h(
    "div",
    { class: "controls", role: "group", "aria-label": `Control ${m.name} on ${on}` },
    ...buttons,
    allowed ? null : h("small", { class: "readonly" }, "Read only: your role is Monitor."),
  );
}

async function act(on: string, module: string, verb: string, query?: string): Promise<void> {
  say(`${verb} -m ${module} on ${on}…`);
  try {
    const r = await api.post<api.CommandResult>(
      `${api.nodeBase(on, self)}/modules/${encodeURIComponent(module)}/${verb}${query ? "?" + query : ""}`,
    );
    say(`${on}: ${r?.command ?? verb}: accepted${r?.output ? " — " + r.output.trim() : ""}`);
  } catch (err) {
    say(`${on}: ${verb} -m ${module}: ${err instanceof Error ? err.message : String(err)}`, true);
  }
}

/** The "degraded" badges of the modules that run ALONE (spec C.1, C.7). */
const degradedBadges = new DegradedBadges({
  get self() {
    return self;
  },
  states: (module, on) => {
    const c = modules.get(module)?.on.get(on);
    return c ? { local: c.local, remote: c.remote } : null;
  },
  reachable: (on) => nodes.get(on)?.status !== "ERROR",
});

// ---- global menu -------------------------------------------------------------------------------

/**
 * How long "Stop on all" waits for the secondaries to reach STOP before it stops the primary: the
 * stop scripts may take SafeKit's default nicestoptimeout (300 s).
 */
const STOP_DEADLINE_MS = 300_000;

/** Resolves true once {@code cond} holds at a state event, false after {@code ms}. */
function until(cond: () => boolean, ms: number): Promise<boolean> {
  if (cond()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const w = () => {
      if (!cond()) return false;
      window.clearTimeout(timer);
      resolve(true);
      return true;
    };
    const timer = window.setTimeout(() => {
      waiters.delete(w);
      resolve(false);
    }, ms);
    waiters.add(w);
  });
}

const globalContext: GlobalContext = {
  get self() {
    return self;
  },
  nodesOf: (module) => {
    const m = modules.get(module);
    return [...nodes.values()]
      .filter((n) => m?.on.has(n.name) || n.status === "ERROR")
      .map((n) => ({ node: n.name, state: parseState(m?.on.get(n.name)?.local)?.name ?? null, reachable: n.status !== "ERROR" }));
  },
  untilStopped: (module, node) => until(() => parseState(modules.get(module)?.on.get(node)?.local)?.name === "STOP", STOP_DEADLINE_MS),
  get admin() {
    return role === "Admin";
  },
};

// ---- views ------------------------------------------------------------------------------------

type View =
  | { kind: "monitoring" }
  | { kind: "cmdlog"; node: string }
  | { kind: "configuration" }
  | { kind: "module"; name: string; node: string }
  | { kind: "cluster-wizard" }
  | { kind: "module-wizard"; name?: string };

/**
 * The routes: #/monitoring, #/cmdlog (this node's), #/cmdlog/<node>, #/modules/AM (on this node),
 * #/modules/AM/nodes/<node>, #/wizard/cluster, #/wizard/module[/AM], #/configuration (the module list).
 */
function currentView(): View {
  const c = /^#\/cmdlog(?:\/([^/]+))?$/.exec(location.hash);
  if (c) return { kind: "cmdlog", node: c[1] ? decodeURIComponent(c[1]) : self };
  if (location.hash === "#/wizard/cluster") return { kind: "cluster-wizard" };
  if (location.hash === "#/configuration") return { kind: "configuration" };
  const w = /^#\/wizard\/module(?:\/([^/]+))?$/.exec(location.hash);
  if (w) return { kind: "module-wizard", name: w[1] ? decodeURIComponent(w[1]) : undefined };
  const m = /^#\/modules\/([^/]+)(?:\/nodes\/([^/]+))?/.exec(location.hash);
  return m
    ? { kind: "module", name: decodeURIComponent(m[1]), node: m[2] ? decodeURIComponent(m[2]) : self }
    : { kind: "monitoring" };
}

function moduleHref(name: string, on: string): string {
  return `#/modules/${encodeURIComponent(name)}/nodes/${encodeURIComponent(on)}`;
}

function nodeLabel(n: NodeView): string {
  return n.addr ? `${n.name} (${n.addr})` : n.name;
}

/** Links to the console of every node of the cluster: any of them shows them all (spec G.4). */
function nodeLinks(): HTMLElement | null {
  if (clusterNodes.length < 2) return null;
  const port = location.port ? `:${location.port}` : "";
  return h(
    "nav",
    { "aria-label": "nodes of the cluster", class: "nodes" },
    h(
      "ul",
      {},
      h("li", {}, "Connected to:"),
      ...clusterNodes.map((n) =>
        n.name === self
          ? h("li", {}, h("strong", { "aria-current": "page" }, n.name))
          : h("li", {}, h("a", { href: `${location.protocol}//${n.addr}${port}/console/` }, n.name)),
      ),
    ),
  );
}

/** Every module on every node, with each node's local menu (spec G.4 monitoring). */
function showMonitoring(): void {
  // a rebuild (a node came or went) keeps the menus that were open
  const open = new Set([...document.querySelectorAll("#modules td details[open]")].map((d) => d.parentElement?.id));
  const openGlobal = new Set([...document.querySelectorAll("#modules details.global[open]")].map((d) => d.id));
  clear(app);
  chart?.destroy();
  chart = null;
  const rows = [...modules.values()].sort((a, b) => a.id - b.id || a.name.localeCompare(b.name));
  const columns = [...nodes.values()];
  const table = h(
    "table",
    { id: "modules", class: "striped" },
    h("caption", {}, "Every module on every node of the cluster, as they change"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Module"),
        ...columns.map((n) =>
          h(
            "th",
            { scope: "col", id: `node-${n.name}`, "data-status": n.status, class: n.status === "ERROR" ? "node-down" : "" },
            nodeLabel(n),
            n.name === self ? h("small", { class: "kind" }, " (this node)") : "",
            n.status === "ERROR" ? h("small", { class: "error", title: n.detail ?? "" }, " unreachable") : "",
          ),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      ...rows.map((m) =>
        h(
          "tr",
          { id: `row-${m.name}` },
          h(
            "th",
            { scope: "row" },
            h("a", { href: moduleHref(m.name, m.on.has(self) ? self : ([...m.on.keys()][0] ?? self)) }, m.name),
            h("small", { class: "kind" }, ` ${m.kind} id ${m.id}`),
            // the global menu acts: a Monitor user does not see it (spec G.4)
            mayAct(role) ? globalMenu(m, openGlobal.has(`global-menu-${m.name}`), globalContext) : "",
            globalResult(m.name),
          ),
          ...columns.map((n) =>
            h(
              "td",
              { id: `cell-${n.name}-${m.name}`, "data-label": nodeLabel(n) },
              h("a", { href: moduleHref(m.name, n.name), "aria-label": `${m.name} on ${n.name}` }, cellBadge(m, n.name, `st-${n.name}-${m.name}`)),
              degradedBadges.badge(m.name, n.name, `dg-${n.name}-${m.name}`),
              m.on.has(n.name) && n.status !== "ERROR"
                ? h("details", { class: "menu", open: open.has(`cell-${n.name}-${m.name}`) }, h("summary", {}, "Actions"), controls(m, n.name))
                : "",
            ),
          ),
        ),
      ),
    ),
  );
  app.append(
    h("h1", { tabindex: "-1", id: "title" }, "Monitoring"),
    nodeLinks() ?? "",
    h(
      "p",
      { class: "links" },
      h("a", { href: "#/cmdlog", id: "cmdlog-link" }, "Commands log"),
      h("a", { href: "#/configuration", id: "modules-link" }, "Modules"),
      h("a", { href: "#/wizard/cluster", id: "cluster-wizard-link" }, "Configure the cluster"),
      h("a", { href: "#/wizard/module", id: "module-wizard-link" }, "Configure a module"),
    ),
    rows.length ? h("div", { class: "overflow-auto" }, table) : h("p", {}, "No module is installed on any node."),
    status,
  );
}

/** A module on one node: states, local menu, snapshot, and the tabs of spec G.4. */
async function showModule(name: string, on: string): Promise<void> {
  const m = modules.get(name);
  clear(app);
  chart?.destroy();
  chart = null;
  const crumbs = h(
    "nav",
    { "aria-label": "breadcrumb" },
    h("ul", {}, h("li", {}, h("a", { href: "#/monitoring" }, "Monitoring")), h("li", {}, name), h("li", {}, on)),
  );
  if (!m || !m.on.has(on)) {
    app.append(crumbs, h("h1", {}, name), h("p", { role: "alert" }, `Module ${name} is not installed on ${on}, or ${on} cannot be reached.`));
    return;
  }
  const base = api.nodeBase(on, self);
  const c = m.on.get(on)!;
  moduleLog = new ModuleLog(name, (message) => say(message, true), base);
  const others = [...m.on.keys()].filter((n) => n !== on);
  app.append(
    crumbs,
    h("h1", { tabindex: "-1", id: "title" }, `${name} on ${on}`, h("small", { class: "kind" }, ` ${m.kind} id ${m.id}`)),
    h(
      "p",
      { class: "states" },
      `${on}: `,
      cellBadge(m, on, `detail-${on}-${name}`),
      " ",
      degradedBadges.badge(name, on, `dgd-${on}-${name}`),
      "  its peer as it heard it: ",
      badge(c.remote, `detail-${on}-${name}-remote`),
      ...others.map((o) => h("span", {}, "  ", h("a", { href: moduleHref(name, o) }, `on ${o}`))),
    ),
    controls(m, on),
    h("p", {}, snapshotLink(base, name, mayAct(role))),
    status,
    tabs("details", [
      { id: "log", label: "Log", body: moduleLog.view() },
      {
        id: "resources",
        label: "Resources",
        body: h("div", {}, h("div", { id: "resources", class: "overflow-auto" }), h("div", { id: "history" })),
      },
      { id: "reintegration", label: "Reintegration", body: h("div", { id: "reintegration" }) },
      { id: "information", label: "Information", body: h("div", { id: "information" }) },
      {
        id: "timeline",
        label: "States timeline",
        body: h(
          "div",
          {},
          h("p", {}, h("small", {}, `As ${on} kept them (its clock), then live.`)),
          h("div", { id: "timeline" }),
          h("div", { id: "timeline-changes", class: "overflow-auto" }),
        ),
      },
    ]),
  );
  await Promise.all([moduleLog.start(), refreshDetail(m, on), renderInformation(base, say)]);
}

// ---- resources, reintegration and timeline -----------------------------------------------------

async function refreshDetail(m: ModuleView, on: string): Promise<void> {
  const base = api.nodeBase(on, self);
  const resources = await renderResources(base, m.name, say);
  await renderReintegration(base, m.name, resources);
  const tl = document.getElementById("timeline");
  const c = m.on.get(on);
  if (tl && c) {
    // the chart library is loaded with the first module details, not with the monitoring page
    const [{ drawTimeline, listChanges }, kept] = await Promise.all([import("./timeline"), readTimeline(base, m.name, say)]);
    chart?.destroy();
    clear(tl);
    chart = drawTimeline(tl, withLive(samplesOf(kept), c.samples), on, `its peer, as ${on} heard it`);
    if (!chart) tl.append(h("p", {}, "No state change seen yet."));
    listChanges(document.getElementById("timeline-changes"), kept, on);
  }
}

// ---- start ------------------------------------------------------------------------------------

function route(): void {
  moduleLog?.stop();
  moduleLog = null;
  say(""); // a command's result belongs to the page it was run from
  const v = currentView();
  if (v.kind === "module") void showModule(v.name, v.node);
  else if (v.kind === "cmdlog") void showCommands(app, { node: v.node, self, nodes: [...nodes.values()], status });
  // loaded when first opened, as the wizards
  else if (v.kind === "configuration")
    void import("./modules").then((l) =>
      l.showModules(app, { self, role, nodes: [...nodes.values()], shown: () => currentView().kind === "configuration" }),
    );
  // the wizards are loaded when first opened, not with the monitoring page
  else if (v.kind === "cluster-wizard")
    void import("./wizard-cluster").then((w) => {
      w.showClusterWizard(app, {
        role,
        nodes: clusterNodes,
        address: String(node.address ?? ""),
        host: String(node.host ?? ""),
        applied: () => void loadCluster().then(openEvents),
      });
      if (firstConnection) {
        firstConnection = false;
        document.getElementById("title")?.after(
          h(
            "p",
            { id: "first-connection", role: "note" },
            "This node has no cluster configuration yet: configure the cluster first, or leave it for now: ",
            h("a", { href: "#/monitoring" }, "Monitoring"),
            ".",
          ),
        );
      }
    });
  else if (v.kind === "module-wizard")
    void import("./wizard-module").then((w) =>
      w.showModuleWizard(app, { role, module: v.name, installed: [...modules.keys()].sort() }),
    );
  else showMonitoring();
  document.getElementById("title")?.focus();
}

async function start(): Promise<void> {
  try {
    node = await api.get<api.NodeInfo>("/node");
  } catch (err) {
    if (err instanceof api.ApiError && err.status === 401) {
      showLogin(sessionStorage.getItem("bulwark.role") ? "Your session has ended: log in again." : err.message.startsWith("no user") ? err.message : undefined);
      return;
    }
    app.textContent = `The node does not answer: ${err instanceof Error ? err.message : String(err)}`;
    return;
  }
  nodeName.textContent = `${node.host ?? ""} ${node.address ?? ""}`.trim();
  renderSession();
  await loadCluster();
  offerClusterWizard();
  route();
  openEvents();
}

/** The cluster wizard opened by itself at the first connection (below); it says so, once. */
let firstConnection = false;

/**
 * As SafeKit's first connection: when this node has no cluster configuration yet, an Admin lands
 * in the cluster wizard instead of the monitoring page — once per node in this browser (then the
 * link under the monitoring page's title opens it). Leaving it is one click on Monitoring.
 */
function offerClusterWizard(): void {
  const key = `bulwark.clusterWizardOffered.${String(node.address ?? "")}`;
  if (clusterNodes.length || role !== "Admin" || currentView().kind !== "monitoring" || localStorage.getItem(key)) return;
  localStorage.setItem(key, new Date().toISOString());
  firstConnection = true;
  // no hashchange: the route below draws the wizard once
  history.replaceState(null, "", "#/wizard/cluster");
}

/** The nodes of the applied cluster.xml (at the start, and again when the wizard applied one). */
async function loadCluster(): Promise<void> {
  try {
    const state = await api.get<{ output: string }>("/cluster/state");
    clusterNodes = parseClusterState(state.output ?? "");
  } catch {
    clusterNodes = []; // no cluster configuration applied: this node alone
  }
  self = selfName(clusterNodes, String(node.address ?? ""), String(node.host ?? ""));
  modules.clear();
  nodes.clear();
  for (const n of clusterNodes) nodes.set(n.name, { name: n.name, addr: n.addr, status: "" });
  nodeView(self).addr ||= String(node.address ?? "");
}

window.addEventListener("hashchange", () => {
  if (events) route();
});

void start();
