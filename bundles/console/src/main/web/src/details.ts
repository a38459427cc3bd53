// The tabs of a module's details on one node (spec G.4): resources with their history, the
// reintegration progress of a mirror, the node's information, and the snapshot download. Every
// call goes to that node's API, through this node for another one ("/nodes/<node>").
import * as api from "./api";
import { type LanView, parseLans } from "./cluster";
import { clear, h } from "./dom";
import { describe, progress } from "./reintegration";
import type { TimelineChange } from "./timeline-history";

type Say = (message: string, error?: boolean) => void;

/** Tabs (WAI-ARIA tabs pattern): the arrow keys move between them, one panel shown at a time. */
export function tabs(id: string, panels: { id: string; label: string; body: HTMLElement }[]): HTMLElement {
  const list = h("div", { role: "tablist", class: "tabs", "aria-label": "Module details" });
  const bodies: HTMLElement[] = [];
  const buttons: HTMLButtonElement[] = [];
  const select = (i: number, focus: boolean) => {
    buttons.forEach((b, j) => {
      b.setAttribute("aria-selected", String(i === j));
      b.tabIndex = i === j ? 0 : -1;
      bodies[j].hidden = i !== j;
    });
    if (focus) buttons[i].focus();
  };
  panels.forEach((p, i) => {
    const b = h(
      "button",
      {
        role: "tab",
        id: `tab-${p.id}`,
        class: "outline secondary",
        "aria-controls": `panel-${p.id}`,
        onclick: () => select(i, false),
        onkeydown: (e: Event) => {
          const k = (e as KeyboardEvent).key;
          if (k === "ArrowRight") select((i + 1) % panels.length, true);
          else if (k === "ArrowLeft") select((i + panels.length - 1) % panels.length, true);
        },
      },
      p.label,
    );
    buttons.push(b);
    list.append(b);
    bodies.push(h("section", { role: "tabpanel", id: `panel-${p.id}`, "aria-labelledby": `tab-${p.id}` }, p.body));
  });
  select(0, false);
  return h("div", { id }, list, ...bodies);
}

/** The resources of the module with a click-through to each one's history. */
export async function renderResources(base: string, module: string, say: Say): Promise<api.Resource[]> {
  let d: api.ModuleDetail;
  try {
    d = await api.get<api.ModuleDetail>(`${base}/modules/${encodeURIComponent(module)}`);
  } catch (err) {
    say(`resources: ${err instanceof Error ? err.message : String(err)}`, true);
    return [];
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
              h("td", {}, h("a", { href: "#", onclick: (e: Event) => { e.preventDefault(); void showHistory(base, module, r.name); } }, r.name)),
              h("td", {}, r.value),
              h("td", {}, r.setter),
              h("td", {}, r.time ? new Date(r.time).toLocaleString() : ""),
            ),
          ),
        ),
      ),
    );
  }
  return d.resources;
}

async function showHistory(base: string, module: string, resource: string): Promise<void> {
  const into = document.getElementById("history");
  if (!into) return;
  const rows = await api.get<api.Resource[]>(
    `${base}/modules/${encodeURIComponent(module)}/resources/${encodeURIComponent(resource)}?limit=50`,
  );
  clear(into);
  into.append(
    h("h3", {}, `History of ${resource}`),
    h("ol", {}, ...rows.map((r) => h("li", {}, `${new Date(r.time).toLocaleString()}: ${r.value} (${r.setter})`))),
  );
}

/** The reintegration progress bar, from rfs.rei_left's history and rfs.rei_bandwidth. */
export async function renderReintegration(base: string, module: string, resources: api.Resource[]): Promise<void> {
  const into = document.getElementById("reintegration");
  if (!into) return;
  const left = resources.find((r) => r.name === "rfs.rei_left");
  const uptodate = resources.find((r) => r.name === "rfs.uptodate")?.value;
  clear(into);
  if (!left) {
    into.append(h("p", {}, "This module replicates no directory (no rfs resource)."));
    return;
  }
  let history: api.Resource[] = [left];
  try {
    history = await api.get<api.Resource[]>(`${base}/modules/${encodeURIComponent(module)}/resources/rfs.rei_left?limit=200`);
  } catch {
    // the current value alone: the total is then what is left now
  }
  const bandwidth = resources.find((r) => r.name === "rfs.rei_bandwidth")?.value;
  const p = progress(history, bandwidth);
  if (!p) {
    into.append(h("p", {}, `rfs.rei_left: ${left.value}`));
    return;
  }
  into.append(
    h("progress", {
      id: "rei-progress",
      value: String(p.running ? Math.round(p.fraction * 1000) : 1000),
      max: "1000",
      "aria-label": "reintegration progress",
      "aria-valuetext": describe(p),
    }),
    h("p", { id: "rei-text" }, describe(p)),
    h("p", {}, h("small", {}, `Data up to date on this node (rfs.uptodate): ${uptodate ?? "unknown"}`)),
  );
}

/** The node's information (spec G.4): host name, OS, version, license, addresses, lans. */
export async function renderInformation(base: string, say: Say): Promise<void> {
  const into = document.getElementById("information");
  if (!into) return;
  let info: api.NodeInfo;
  let lans: LanView[] = [];
  try {
    info = await api.get<api.NodeInfo>(`${base}/node`);
  } catch (err) {
    say(`information: ${err instanceof Error ? err.message : String(err)}`, true);
    return;
  }
  try {
    lans = parseLans((await api.get<{ output: string }>(`${base}/cluster/state`)).output ?? "");
  } catch {
    lans = []; // no cluster configuration on that node
  }
  const row = (label: string, value: unknown) => h("tr", {}, h("th", { scope: "row" }, label), h("td", {}, value === undefined ? "" : String(value)));
  clear(into);
  into.append(
    h(
      "table",
      { id: "info-table" },
      h(
        "tbody",
        {},
        row("Host name", info.host ?? info.hostname),
        row("Operating system", info.os),
        row("Version", info.version),
        row("License", info.license),
        row("Web service address", info.address),
      ),
    ),
    ...lans.map((l) =>
      h(
        "table",
        { class: "striped lan" },
        h("caption", {}, `lan ${l.name}${l.command ? " (command)" : ""}`),
        h("tbody", {}, ...l.nodes.map((n) => h("tr", {}, h("th", { scope: "row" }, n.name), h("td", {}, n.addr)))),
      ),
    ),
  );
}

/** The states timeline the node keeps (spec G.4), newest first; empty when it cannot be read. */
export async function readTimeline(base: string, module: string, say: Say): Promise<TimelineChange[]> {
  try {
    return await api.get<TimelineChange[]>(`${base}/modules/${encodeURIComponent(module)}/timeline?limit=500`);
  } catch (err) {
    say(`states timeline: ${err instanceof Error ? err.message : String(err)}`, true);
    return [];
  }
}

/** The snapshot download (spec G.12), for Control and Admin: the node builds it on request. */
export function snapshotLink(base: string, module: string, allowed: boolean): HTMLElement {
  const href = `${api.API}${base}/modules/${encodeURIComponent(module)}/snapshot`;
  return allowed
    ? h("a", { id: "snapshot", href, download: "", role: "button", class: "outline" }, "Download a snapshot")
    : h("button", { id: "snapshot", class: "outline", disabled: true, title: "Your role (Monitor) cannot take snapshots" }, "Download a snapshot");
}
