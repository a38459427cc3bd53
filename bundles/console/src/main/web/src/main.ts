// The Bulwark web console (spec G.4): login, monitoring of every module on this node and its peer
// updated live by server push (GET /api/v1.0/events), the control menu, module details with the
// live module log, resources and the states timeline. Everything goes through the REST API, which
// checks the user's role on every call: what this page hides from a Monitor user, the API refuses.
import "@picocss/pico/css/pico.min.css";
import "./style.css";
import type uPlot from "uplot";
import * as api from "./api";
import { type ClusterNode, parseClusterState, selfAndPeer } from "./cluster";
import { clear, h } from "./dom";
import { ModuleLog } from "./log";
import { ACTIONS, colourClass, mayAct, parseState, stateCode } from "./states";
import type { Sample } from "./timeline";

interface ModuleView {
  name: string;
  id: number;
  kind: string;
  local: string | null;
  remote: string | null;
  since: string | null;
  samples: Sample[];
}

const app = document.getElementById("app")!;
const sessionBar = document.getElementById("session")!;
const nodeName = document.getElementById("node-name")!;

const modules = new Map<string, ModuleView>();
let role: string | null = sessionStorage.getItem("bulwark.role");
let user: string | null = sessionStorage.getItem("bulwark.user");
let events: EventSource | null = null;
let node: api.NodeInfo = {};
let clusterNodes: ClusterNode[] = [];
let moduleLog: ModuleLog | null = null;
let chart: uPlot | null = null;

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

function sample(m: ModuleView, time: string): void {
  const t = Date.parse(time) / 1000 || Date.now() / 1000;
  m.samples.push({ t, local: stateCode(parseState(m.local)), remote: stateCode(parseState(m.remote)) });
  if (m.samples.length > 2000) {
    m.samples.splice(0, m.samples.length - 2000);
  }
}

function openEvents(): void {
  events?.close();
  const source = new EventSource(api.API + "/events");
  events = source;
  source.addEventListener("state", (e) => {
    const ev = JSON.parse((e as MessageEvent).data) as api.StateEvent;
    if (ev.local === undefined) {
      modules.delete(ev.module);
    } else {
      let m = modules.get(ev.module);
      if (!m) {
        m = { name: ev.module, id: 0, kind: "", local: null, remote: null, since: null, samples: [] };
        modules.set(ev.module, m);
        void refreshModules();
      }
      m.local = ev.local;
      m.remote = ev.remote ?? null;
      m.since = ev.time;
      sample(m, ev.time);
    }
    renderStates(ev.module);
    recordShown(ev);
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
    __bulwarkShown?: { module: string; local: string; event: number; shown: number }[];
  }
}

/**
 * When each state was painted here, with the time the node saw it (the event's time): read by the
 * end-to-end test and the latency benchmark (docs/benchmarks.md). The last 200.
 */
function recordShown(ev: api.StateEvent): void {
  requestAnimationFrame(() => {
    const list = (window.__bulwarkShown ??= []);
    list.push({ module: ev.module, local: ev.local ?? "", event: Date.parse(ev.time), shown: Date.now() });
    if (list.length > 200) list.shift();
  });
}

async function refreshModules(): Promise<void> {
  const rows = await api.get<api.ModuleRow[]>("/modules");
  for (const r of rows) {
    const m = modules.get(r.name);
    if (m) {
      m.id = r.id;
      m.kind = r.kind;
    } else {
      modules.set(r.name, {
        name: r.name,
        id: r.id,
        kind: r.kind,
        local: `${r.state} ${r.readiness}`,
        remote: null,
        since: null,
        samples: [],
      });
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

/** Updates the badges of one module wherever they are shown, without rebuilding the page. */
function renderStates(name: string): void {
  const m = modules.get(name);
  const view = currentView();
  if (!m || (view.kind === "monitoring" && !document.getElementById(`row-${name}`))) {
    if (!inWizard()) route();
    return;
  }
  for (const [suffix, text] of [
    ["local", m.local],
    ["remote", m.remote],
  ] as const) {
    for (const prefix of ["row", "detail"]) {
      const old = document.getElementById(`${prefix}-${name}-${suffix}`);
      old?.replaceWith(badge(text, `${prefix}-${name}-${suffix}`));
    }
  }
  if (view.kind === "module" && view.name === name) {
    void refreshDetail(m);
  }
}

// ---- control menu ------------------------------------------------------------------------------

function controls(m: ModuleView): HTMLElement {
  const allowed = mayAct(role);
  const buttons = ACTIONS.filter((a) => !a.mirrorOnly || m.kind !== "farm").map((a) =>
    h(
      "button",
      {
        class: a.verb === "stop" || a.verb === "forcestop" ? "secondary" : "",
        "data-action": a.verb + (a.query ? "-full" : ""),
        disabled: !allowed,
        title: allowed ? `${a.verb} -m ${m.name}` : "Your role (Monitor) can only watch",
        onclick: () => void act(m.name, a.verb, a.query),
      },
      a.label,
    ),
  );
  return h(
    "div",
    { class: "controls", role: "group", "aria-label": `Control ${m.name}` },
    ...buttons,
    allowed ? null : h("small", { class: "readonly" }, "Read only: your role is Monitor."),
  );
}

async function act(module: string, verb: string, query?: string): Promise<void> {
  say(`${verb} -m ${module}…`);
  try {
    const r = await api.post<api.CommandResult>(
      `/modules/${encodeURIComponent(module)}/${verb}${query ? "?" + query : ""}`,
    );
    say(`${r?.command ?? verb}: accepted${r?.output ? " — " + r.output.trim() : ""}`);
  } catch (err) {
    say(`${verb} -m ${module}: ${err instanceof Error ? err.message : String(err)}`, true);
  }
}

// ---- views ------------------------------------------------------------------------------------

type View =
  | { kind: "monitoring" }
  | { kind: "cmdlog" }
  | { kind: "module"; name: string }
  | { kind: "cluster-wizard" }
  | { kind: "module-wizard"; name?: string };

function currentView(): View {
  if (location.hash === "#/cmdlog") return { kind: "cmdlog" };
  if (location.hash === "#/wizard/cluster") return { kind: "cluster-wizard" };
  const w = /^#\/wizard\/module(?:\/([^/]+))?$/.exec(location.hash);
  if (w) return { kind: "module-wizard", name: w[1] ? decodeURIComponent(w[1]) : undefined };
  const m = /^#\/modules\/([^/]+)/.exec(location.hash);
  return m ? { kind: "module", name: decodeURIComponent(m[1]) } : { kind: "monitoring" };
}

/** The commands log of this node (spec G.7): who ran what, newest first. */
async function showCommands(): Promise<void> {
  clear(app);
  const body = h("tbody", {});
  app.append(
    h("nav", { "aria-label": "breadcrumb" }, h("ul", {}, h("li", {}, h("a", { href: "#/monitoring" }, "Monitoring")), h("li", {}, "Commands log"))),
    h("h1", { tabindex: "-1", id: "title" }, "Commands log"),
    h("button", { class: "outline", id: "cmdlog-refresh", onclick: () => void showCommands() }, "Refresh"),
    status,
    h(
      "div",
      { class: "overflow-auto" },
      h(
        "table",
        { id: "cmdlog", class: "striped" },
        h("thead", {}, h("tr", {}, ...["Time", "Type", "Module", "Id", "", "Command"].map((t) => h("th", { scope: "col" }, t)))),
        body,
      ),
    ),
  );
  try {
    const rows = await api.get<api.CommandRow[]>("/cmdlog?limit=200");
    for (const r of [...rows].reverse()) {
      body.append(
        h(
          "tr",
          {},
          h("td", {}, h("time", { datetime: r.time }, new Date(r.time).toLocaleString())),
          h("td", {}, r.type),
          h("td", {}, r.module),
          h("td", {}, String(r.id)),
          h("td", {}, r.kind),
          h("td", {}, h("code", {}, r.text)),
        ),
      );
    }
  } catch (err) {
    say(`commands log: ${err instanceof Error ? err.message : String(err)}`, true);
  }
}

function peerLabel(): string {
  const { peer } = selfAndPeer(clusterNodes, String(node.address ?? ""));
  return peer ? `${peer.name} (${peer.addr})` : "peer";
}

function thisNode(): string {
  const { self } = selfAndPeer(clusterNodes, String(node.address ?? ""));
  if (self) return `${self.name} (${self.addr})`;
  return node.address ? String(node.address) : "this node";
}

/** Links to the console of every node of the cluster: each has its own login (spec G.4). */
function nodeLinks(): HTMLElement | null {
  if (clusterNodes.length < 2) return null;
  const port = location.port ? `:${location.port}` : "";
  return h(
    "nav",
    { "aria-label": "nodes of the cluster", class: "nodes" },
    h(
      "ul",
      {},
      h("li", {}, "Nodes:"),
      ...clusterNodes.map((n) =>
        n.addr === node.address
          ? h("li", {}, h("strong", { "aria-current": "page" }, n.name))
          : h("li", {}, h("a", { href: `${location.protocol}//${n.addr}${port}/console/` }, n.name)),
      ),
    ),
  );
}

function showMonitoring(): void {
  clear(app);
  chart?.destroy();
  chart = null;
  const rows = [...modules.values()].sort((a, b) => a.id - b.id || a.name.localeCompare(b.name));
  const table = h(
    "table",
    { id: "modules", class: "striped" },
    h("caption", {}, "Every module, on this node and on its peer, as they change"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "Module"),
        h("th", { scope: "col" }, `This node: ${thisNode()}`),
        h("th", { scope: "col" }, `Peer: ${peerLabel()}`),
        h("th", { scope: "col" }, "Control"),
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
            h("a", { href: `#/modules/${encodeURIComponent(m.name)}` }, m.name),
            h("small", { class: "kind" }, ` ${m.kind} id ${m.id}`),
          ),
          h("td", { "data-label": thisNode() }, badge(m.local, `row-${m.name}-local`)),
          h("td", { "data-label": peerLabel() }, badge(m.remote, `row-${m.name}-remote`)),
          h(
            "td",
            {},
            h("details", { class: "menu" }, h("summary", {}, "Actions"), controls(m)),
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
      h("a", { href: "#/wizard/cluster", id: "cluster-wizard-link" }, "Configure the cluster"),
      h("a", { href: "#/wizard/module", id: "module-wizard-link" }, "Configure a module"),
    ),
    rows.length ? h("div", { class: "overflow-auto" }, table) : h("p", {}, "No module is installed on this node."),
    status,
  );
}

async function showModule(name: string): Promise<void> {
  const m = modules.get(name);
  clear(app);
  chart?.destroy();
  chart = null;
  if (!m) {
    app.append(h("h1", {}, name), h("p", { role: "alert" }, `Module ${name} is not installed on this node.`));
    return;
  }
  const timeline = h("div", { id: "timeline" });
  moduleLog = new ModuleLog(name, (message) => say(message, true));
  app.append(
    h("nav", { "aria-label": "breadcrumb" }, h("ul", {}, h("li", {}, h("a", { href: "#/monitoring" }, "Monitoring")), h("li", {}, name))),
    h("h1", { tabindex: "-1", id: "title" }, name, h("small", { class: "kind" }, ` ${m.kind} id ${m.id}`)),
    h(
      "p",
      { class: "states" },
      `${thisNode()}: `,
      badge(m.local, `detail-${name}-local`),
      `  ${peerLabel()}: `,
      badge(m.remote, `detail-${name}-remote`),
    ),
    controls(m),
    status,
    moduleLog.view(),
    h("section", { "aria-labelledby": "res-title" }, h("h2", { id: "res-title" }, "Resources"), h("div", { id: "resources", class: "overflow-auto" }), h("div", { id: "history" })),
    h("section", { "aria-labelledby": "tl-title" }, h("h2", { id: "tl-title" }, "States timeline"), h("p", {}, h("small", {}, "As this console saw them since it opened.")), timeline),
  );
  await Promise.all([moduleLog.start(), refreshDetail(m)]);
}

// ---- resources and timeline -------------------------------------------------------------------

async function refreshDetail(m: ModuleView): Promise<void> {
  let d: api.ModuleDetail;
  try {
    d = await api.get<api.ModuleDetail>(`/modules/${encodeURIComponent(m.name)}`);
  } catch (err) {
    say(`resources: ${err instanceof Error ? err.message : String(err)}`, true);
    return;
  }
  const into = document.getElementById("resources");
  if (into) {
    clear(into);
    into.append(
      h(
        "table",
        { class: "striped" },
        h("thead", {}, h("tr", {}, h("th", {}, "Resource"), h("th", {}, "Value"), h("th", {}, "Set by"), h("th", {}, "Since"))),
        h(
          "tbody",
          {},
          ...d.resources.map((r) =>
            h(
              "tr",
              {},
              h("td", {}, h("a", { href: "#", onclick: (e: Event) => { e.preventDefault(); void showHistory(m.name, r.name); } }, r.name)),
              h("td", {}, r.value),
              h("td", {}, r.setter),
              h("td", {}, r.time ? new Date(r.time).toLocaleString() : ""),
            ),
          ),
        ),
      ),
    );
  }
  const tl = document.getElementById("timeline");
  if (tl) {
    // the chart library is loaded with the first module details, not with the monitoring page
    const { drawTimeline } = await import("./timeline");
    chart?.destroy();
    clear(tl);
    chart = drawTimeline(tl, m.samples, thisNode(), peerLabel());
    if (!chart) tl.append(h("p", {}, "No state change seen yet."));
  }
}

async function showHistory(module: string, resource: string): Promise<void> {
  const into = document.getElementById("history");
  if (!into) return;
  const rows = await api.get<api.Resource[]>(
    `/modules/${encodeURIComponent(module)}/resources/${encodeURIComponent(resource)}?limit=50`,
  );
  clear(into);
  into.append(
    h("h3", {}, `History of ${resource}`),
    h("ol", {}, ...rows.map((r) => h("li", {}, `${new Date(r.time).toLocaleString()}: ${r.value} (${r.setter})`))),
  );
}

// ---- start ------------------------------------------------------------------------------------

function route(): void {
  moduleLog?.stop();
  moduleLog = null;
  say(""); // a command's result belongs to the page it was run from
  const v = currentView();
  if (v.kind === "module") void showModule(v.name);
  else if (v.kind === "cmdlog") void showCommands();
  // the wizards are loaded when first opened, not with the monitoring page
  else if (v.kind === "cluster-wizard")
    void import("./wizard-cluster").then((w) =>
      w.showClusterWizard(app, { role, nodes: clusterNodes, address: String(node.address ?? ""), host: String(node.host ?? "") }),
    );
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
  try {
    const state = await api.get<{ output: string }>("/cluster/state");
    clusterNodes = parseClusterState(state.output ?? "");
  } catch {
    clusterNodes = []; // no cluster configuration applied: this node alone
  }
  modules.clear();
  await refreshModules();
  openEvents();
}

window.addEventListener("hashchange", () => {
  if (events) route();
});

void start();
