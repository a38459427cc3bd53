// The module list (spec G.4 "Configuration" tab, F.5): every module installed on every node of the
// cluster, read through the connection node (/nodes/<node>/…), with its id, kind, whether it is
// configured and its state. An Admin uploads and installs a .safe on chosen nodes, opens the module
// wizard, deconfigures, uninstalls (after a confirmation; the node refuses a module that is not
// STOP and the page shows its words), downloads the packaged .safe and restores one of the last
// three configurations. Each action's result is listed per node, as the API says it. A Monitor or
// Control user sees the list only.
import * as api from "./api";
import { clear, h } from "./dom";
import { type ModuleAction, type ModuleEntry, actionsFor, mergeModules, moduleNameOf, parseListId } from "./module-list";
import { colourClass, parseState } from "./states";
import { mayConfigure, message, readOnlyNote, send } from "./wizard-common";

export interface ModulesNode {
  name: string;
  status: "UP" | "ERROR" | "";
  detail?: string;
}

export interface ModulesContext {
  self: string;
  role: string | null;
  nodes: ModulesNode[];
  /** Whether the module list is still the page shown: a reading that ends later draws nothing. */
  shown?: () => boolean;
}

interface Outcome {
  node: string;
  ok: boolean;
  text: string;
}

const m = encodeURIComponent;

/** Where the list is drawn: drawn again after each action. */
let page: HTMLElement | null = null;
/**
 * The last action's result, kept here: the page is drawn again when a module's state changes
 * (main.ts's route), which must not wipe it.
 */
let last: HTMLElement = h("div", { id: "modules-result", role: "status" });

/** The confirmation or restore list open in a row: opened again when the page is drawn again. */
let opened: { what: "uninstall" | "restore"; node: string; module: string } | null = null;

/**
 * The number of the last drawing begun. The page is drawn again after each action and whenever a
 * module comes or goes (main.ts's route), and each drawing first reads every node: one whose
 * readings end after those of a drawing begun later draws nothing, for they may predate an action.
 */
let drawing = 0;

function showResult(e: HTMLElement): void {
  last = e;
  document.getElementById("modules-result")?.replaceWith(e);
}

/** The modules of one node: configured ones from GET /modules, the others (Admin) from listid. */
async function readNode(node: string, ctx: ModulesContext): Promise<ModuleEntry[]> {
  const base = api.nodeBase(node, ctx.self);
  const rows = await api.get<api.ModuleRow[]>(`${base}/modules`);
  if (ctx.role !== "Admin") return mergeModules(rows, null);
  const listed = await send<{ exitCode: number; output: string }>("POST", `${base}/exec`, "application/json", JSON.stringify({ args: ["module", "listid"] }));
  return mergeModules(rows, listed.exitCode === 0 ? parseListId(listed.output) : null);
}

function results(title: string, outcomes: Outcome[]): HTMLElement {
  return h(
    "div",
    { id: "modules-result", role: "status", "data-done": "true" },
    h("p", {}, h("small", {}, title)),
    h("ul", {}, ...outcomes.map((o) => h("li", { "data-node": o.node, "data-result": o.ok ? "done" : "failed", class: o.ok ? "" : "error" }, h("strong", {}, o.node), `: ${o.text}`))),
  );
}

/** Runs `act` on each node at once and lists what each answered, then reads the list again. */
async function perNode(ctx: ModulesContext, title: string, nodes: string[], act: (base: string) => Promise<string>): Promise<void> {
  opened = null;
  showResult(h("div", { id: "modules-result", role: "status", "data-done": "false" }, h("p", {}, h("small", {}, `${title}…`))));
  const outcomes = await Promise.all(
    nodes.map(async (node): Promise<Outcome> => {
      try {
        return { node, ok: true, text: (await act(api.nodeBase(node, ctx.self))) || "done" };
      } catch (err) {
        return { node, ok: false, text: message(err) };
      }
    }),
  );
  showResult(results(title, outcomes));
  if (page) await showModules(page, ctx);
}

function verbOutput(r: { output?: string } | { output?: string }[] | null): string {
  const all = (Array.isArray(r) ? r : [r]).map((x) => x?.output?.trim() ?? "").filter((t) => t);
  return all.length ? `done — ${all.join(" ")}` : "done";
}

/**
 * The upload form: a .safe, the module's name (its file's by default), the nodes to install on. It
 * is drawn once a visit to the page: what was chosen in it stays while the list is drawn again.
 */
function uploadForm(ctx: ModulesContext): HTMLElement {
  const file = h("input", { type: "file", id: "upload-file", name: "file", accept: ".safe", required: true });
  const name = h("input", { id: "upload-name", name: "name", required: true, placeholder: "the file's name" });
  file.addEventListener("change", () => {
    const f = file.files?.[0];
    if (f && !name.value) name.value = moduleNameOf(f.name);
  });
  const boxes = ctx.nodes.map((n) =>
    h("label", {}, h("input", { type: "checkbox", name: "node", value: n.name, checked: n.status !== "ERROR", disabled: n.status === "ERROR" }), n.name),
  );
  return h(
    "form",
    {
      id: "upload",
      "data-nodes": ctx.nodes.map((n) => n.name).join(" "),
      onsubmit: (e: Event) => {
        e.preventDefault();
        const f = file.files?.[0];
        const chosen = boxes.map((b) => b.querySelector("input")!).filter((i) => i.checked).map((i) => i.value);
        if (!f || !name.value.trim() || !chosen.length) return;
        const module = name.value.trim();
        void perNode(ctx, `Install ${module} from ${f.name}`, chosen, async (base) =>
          verbOutput(await send<api.CommandResult>("POST", `${base}/modules/${m(module)}/install`, "application/zip", f)),
        );
      },
    },
    h("h2", {}, "Install a module from a .safe"),
    h("div", { class: "grid" }, h("label", {}, "Package (.safe)", file), h("label", {}, "Module name", name)),
    h("fieldset", {}, h("legend", {}, "Install on"), ...boxes),
    h("button", { type: "submit", id: "upload-submit" }, "Upload and install"),
  );
}

/** Asks before uninstalling; Escape or Cancel gives up, the focus goes back to the button. */
function confirmUninstall(ctx: ModulesContext, node: string, module: string, opener: HTMLElement): void {
  const place = document.getElementById(`confirm-${node}-${module}`)!;
  opened = { what: "uninstall", node, module };
  const close = () => {
    opened = null;
    clear(place);
    opener.focus();
  };
  const yes = h(
    "button",
    { id: `confirm-uninstall-${node}-${module}`, class: "contrast", onclick: () => void perNode(ctx, `Uninstall ${module}`, [node], async (base) => verbOutput(await send<api.CommandResult>("DELETE", `${base}/modules/${m(module)}`))) },
    "Yes, uninstall",
  );
  const box = h(
    "div",
    { role: "alertdialog", "aria-label": `Uninstall ${module} from ${node}?`, class: "confirm", onkeydown: (e: Event) => (e as KeyboardEvent).key === "Escape" && close() },
    h("p", {}, `Uninstall ${module} from ${node}? Its files are removed (a backup is kept).`),
    yes,
    h("button", { class: "secondary", onclick: close }, "Cancel"),
  );
  clear(place);
  place.append(box);
  yes.focus();
}

/** Lists the module's last configurations on the node, one to pick and restore. */
async function openRestore(ctx: ModulesContext, node: string, module: string): Promise<void> {
  opened = { what: "restore", node, module };
  const place = document.getElementById(`confirm-${node}-${module}`)!;
  clear(place);
  let saved: { name: string; time: string }[];
  try {
    saved = await api.get(`${api.nodeBase(node, ctx.self)}/modules/${m(module)}/lastconfig`);
  } catch (err) {
    place.append(h("p", { role: "alert", class: "error" }, `last configurations of ${module} on ${node}: ${message(err)}`));
    return;
  }
  if (!saved.length) {
    place.append(h("p", { role: "status", id: `restore-none-${node}-${module}` }, `${module} has no saved configuration on ${node} yet: one is kept at each configuration.`));
    return;
  }
  const select = h("select", { id: `restore-choice-${node}-${module}`, "aria-label": "Configuration to restore" }, ...saved.map((s) => h("option", { value: s.name }, `${s.name} (${new Date(s.time).toLocaleString()})`)));
  place.append(
    h(
      "fieldset",
      { role: "group" },
      select,
      h(
        "button",
        { id: `restore-apply-${node}-${module}`, onclick: () => void perNode(ctx, `Restore ${module}`, [node], async (base) => verbOutput(await api.post(`${base}/modules/${m(module)}/lastconfig/${m(select.value)}/restore?apply=true`))) },
        "Restore and apply",
      ),
    ),
  );
  select.focus();
}

function actionButton(ctx: ModulesContext, node: string, e: ModuleEntry, a: ModuleAction): HTMLElement {
  const base = api.nodeBase(node, ctx.self);
  const id = `${a}-${node}-${e.name}`;
  switch (a) {
    case "configure":
      return h("a", { href: `#/wizard/module/${m(e.name)}`, role: "button", class: "outline", id }, "Configure");
    case "download":
      return h("a", { href: `${api.API}${base}/modules/${m(e.name)}/package`, download: `${e.name}.safe`, role: "button", class: "outline", id }, "Download");
    case "deconfigure":
      return h("button", { class: "outline", id, onclick: () => void perNode(ctx, `Deconfigure ${e.name}`, [node], async (b) => verbOutput(await api.post(`${b}/modules/${m(e.name)}/deconfig`))) }, "Deconfigure");
    case "restore":
      return h("button", { class: "outline", id, onclick: () => void openRestore(ctx, node, e.name) }, "Restore…");
    case "uninstall": {
      const b: HTMLButtonElement = h("button", { class: "outline secondary", id, onclick: () => confirmUninstall(ctx, node, e.name, b) }, "Uninstall…");
      return b;
    }
  }
}

function nodeTable(ctx: ModulesContext, node: string, entries: ModuleEntry[]): HTMLElement {
  const admin = ctx.role === "Admin";
  const row = (e: ModuleEntry) => {
    const st = e.state ? parseState(e.state) : { name: "NOT CONFIGURED", level: "Unknown" as const };
    return h(
      "tr",
      { id: `mod-${node}-${e.name}`, "data-configured": String(e.configured) },
      h("th", { scope: "row" }, e.name),
      h("td", {}, e.id === null ? "—" : String(e.id)),
      h("td", {}, e.kind ?? "—"),
      h("td", {}, e.configured ? "yes" : "no"),
      h("td", {}, h("span", { class: `state ${colourClass(st)}`, "data-state": st?.name ?? "" }, st?.name ?? "")),
      admin ? h("td", {}, h("div", { class: "controls" }, ...actionsFor(ctx.role, e).map((a) => actionButton(ctx, node, e, a))), h("div", { id: `confirm-${node}-${e.name}` })) : "",
    );
  };
  const heads = ["Module", "Id", "Kind", "Configured", "State", ...(admin ? ["Actions"] : [])];
  return h(
    "table",
    { class: "striped", id: `modules-of-${node}` },
    h("thead", {}, h("tr", {}, ...heads.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, ...entries.map(row)),
  );
}

async function nodeSection(ctx: ModulesContext, n: ModulesNode): Promise<HTMLElement> {
  const title = h("h2", {}, `${n.name}${n.name === ctx.self ? " (this node)" : ""}`);
  if (n.status === "ERROR") {
    return h("section", { "data-node": n.name }, title, h("p", { role: "alert" }, h("span", { class: "state st-red", "data-state": "ERROR" }, "ERROR"), ` ${n.name} cannot be reached: ${n.detail ?? "no answer"}`));
  }
  try {
    const entries = await readNode(n.name, ctx);
    return h("section", { "data-node": n.name }, title, entries.length ? h("div", { class: "overflow-auto" }, nodeTable(ctx, n.name, entries)) : h("p", {}, "No module is installed here."));
  } catch (err) {
    return h("section", { "data-node": n.name }, title, h("p", { role: "alert", class: "error" }, `modules of ${n.name}: ${message(err)}`));
  }
}

/** A node that cannot be reached is not offered for an install; one that answers again is. */
function syncUploadNodes(form: HTMLElement, ctx: ModulesContext): void {
  for (const box of form.querySelectorAll<HTMLInputElement>("input[name=node]")) {
    const down = ctx.nodes.find((n) => n.name === box.value)?.status === "ERROR";
    if (box.disabled === down) continue;
    box.disabled = down;
    box.checked = !down;
  }
}

/**
 * Draws the module list of every node (#/configuration). Drawn again, only the list changes: the
 * upload form keeps its file and name, the focus stays on the control that had it.
 */
export async function showModules(app: HTMLElement, ctx: ModulesContext): Promise<void> {
  page = app;
  const mine = ++drawing;
  const sections = await Promise.all(ctx.nodes.map((n) => nodeSection(ctx, n)));
  if (mine !== drawing || (ctx.shown && !ctx.shown())) return;
  const list = h("div", { id: "module-list" }, ...sections);
  const drawn = app.querySelector("#module-list");
  const form = app.querySelector<HTMLElement>("#upload");
  // the form offers the nodes of the cluster: one of another cluster (a cluster.xml applied) goes
  const sameForm = mayConfigure(ctx.role) ? form?.dataset.nodes === ctx.nodes.map((n) => n.name).join(" ") : !form;
  const focused = document.activeElement && drawn?.contains(document.activeElement) ? document.activeElement.id : "";
  if (drawn && sameForm) {
    drawn.replaceWith(list);
    if (form) syncUploadNodes(form, ctx);
  } else {
    clear(app);
    app.append(
      h("nav", { "aria-label": "breadcrumb" }, h("ul", {}, h("li", {}, h("a", { href: "#/monitoring" }, "Monitoring")), h("li", {}, "Configuration"))),
      h("h1", { tabindex: "-1", id: "title" }, "Modules of the cluster"),
      h("p", { class: "links" }, h("button", { class: "outline", id: "modules-refresh", onclick: () => void showModules(app, ctx) }, "Refresh")),
      readOnlyNote(ctx.role) ?? uploadForm(ctx),
      last,
      list,
    );
  }
  const o = opened;
  const opener = o && document.getElementById(`${o.what}-${o.node}-${o.module}`);
  if (!o || !opener) opened = null;
  else if (o.what === "uninstall") confirmUninstall(ctx, o.node, o.module, opener);
  else await openRestore(ctx, o.node, o.module);
  if (focused) document.getElementById(focused)?.focus();
}
