// The cluster configuration wizard (spec G.4, A.3): the lans, each node with its address on every
// lan, each address checked for reachability from this node, the resulting cluster.xml shown and
// checked by the node, then saved and applied on every node, with the result of each.
import { type ClusterNode } from "./cluster";
import { type ClusterModel, clusterXml, fieldId, nodeOfServer, validateCluster } from "./cluster-config";
import { clear, h } from "./dom";
import {
  type LineError,
  type ServerResult,
  fieldError,
  mayConfigure,
  message,
  numberedListing,
  readOnlyNote,
  resultTable,
  send,
} from "./wizard-common";

export interface ClusterWizardContext {
  role: string | null;
  /** The nodes of the applied cluster.xml, to start from (empty when there is none). */
  nodes: ClusterNode[];
  /** This node's address and name, the first node of a new configuration. */
  address: string;
  host: string;
  /** Called once a configuration is applied here: the console reads the cluster again. */
  applied?: () => void;
}

interface Reach {
  address: string;
  port: number;
  reachable: boolean;
  millis: number;
  detail?: string;
}

interface ClusterCheck {
  valid: boolean;
  errors: LineError[];
}

interface ClusterApply extends ClusterCheck {
  servers: ServerResult[];
}

export function showClusterWizard(app: HTMLElement, ctx: ClusterWizardContext): void {
  const model: ClusterModel = ctx.nodes.length
    ? { lans: [{ name: "default", command: true }], nodes: ctx.nodes.map((n) => ({ name: n.name, addrs: [n.addr] })) }
    : { lans: [{ name: "default", command: true }], nodes: [{ name: ctx.host || "node1", addrs: [ctx.address] }] };
  const allowed = mayConfigure(ctx.role);
  const lansBox = h("div", { id: "wizard-lans" });
  const nodesBox = h("div", { id: "wizard-nodes" });
  const xmlBox = h("div", { id: "cluster-xml-box" });
  const resultBox = h("div", { id: "cluster-result", "aria-live": "polite" });
  const status = h("p", { id: "wizard-status", role: "status", class: "status" });
  const say = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle("error", error);
  };
  let lineErrors: LineError[] = [];

  function input(id: string, label: string, value: string, onInput: (v: string) => void, attrs: Record<string, string> = {}, address = false): HTMLElement {
    const field = h("input", { id, name: id, value, disabled: !allowed, autocomplete: "off", ...attrs });
    field.addEventListener("input", () => {
      onInput(field.value);
      fieldError(field, null);
      delete field.dataset.reachable;
      lineErrors = [];
      renderXml();
    });
    // as in the real console: leaving an address (Tab) checks that this node reaches it
    if (address) field.addEventListener("change", () => void reachOne(field));
    return h("label", { for: id }, label, field);
  }

  async function reachOne(field: HTMLInputElement): Promise<void> {
    const a = field.value.trim();
    if (!a || !/^[A-Za-z0-9._:%-]{1,253}$/.test(a)) return; // the whole check says what is wrong
    try {
      const [r] = await send<Reach[]>("POST", "/wizard/reachability", "application/json", JSON.stringify({ addresses: [a] }));
      if (field.value.trim() !== a) return; // typed again meanwhile
      showReach(field, r);
    } catch (err) {
      say(`reachability: ${message(err)}`, true);
    }
  }

  function showReach(field: HTMLInputElement, r: Reach): void {
    if (r.reachable) fieldError(field, null, `reachable (port ${r.port}, ${r.millis} ms)`);
    else fieldError(field, `not reachable on port ${r.port}: ${r.detail ?? "no answer"}`);
    field.dataset.reachable = String(r.reachable);
  }

  function renderLans(): void {
    clear(lansBox);
    lansBox.append(
      ...model.lans.map((lan, l) =>
        h(
          "div",
          { class: "grid lan-row" },
          input(fieldId.lan(l), `Lan ${l + 1} name`, lan.name, (v) => (lan.name = v.trim())),
          h(
            "label",
            { class: "inline" },
            h("input", {
              type: "radio",
              name: "command-lan",
              checked: lan.command,
              disabled: !allowed,
              onchange: () => {
                model.lans.forEach((x) => (x.command = x === lan));
                renderXml();
              },
            }),
            " commands",
          ),
          model.lans.length > 1
            ? h("button", { type: "button", class: "secondary outline", disabled: !allowed, "aria-label": `Remove lan ${lan.name}`, onclick: () => removeLan(l) }, "Remove")
            : null,
        ),
      ),
    );
  }

  function removeLan(l: number): void {
    const wasCommand = model.lans[l].command;
    model.lans.splice(l, 1);
    model.nodes.forEach((n) => n.addrs.splice(l, 1));
    if (wasCommand) model.lans[0].command = true;
    renderAll();
  }

  function renderNodes(): void {
    clear(nodesBox);
    nodesBox.append(
      ...model.nodes.map((node, n) =>
        h(
          "article",
          { class: "node-card", id: `node-${n}` },
          h(
            "div",
            { class: "grid" },
            input(fieldId.node(n), "Node name", node.name, (v) => (node.name = v.trim()), { placeholder: "node1" }),
            ...model.lans.map((lan, l) =>
              input(fieldId.addr(n, l), `Address on ${lan.name || `lan ${l + 1}`}`, node.addrs[l] ?? "", (v) => (node.addrs[l] = v.trim()), {
                placeholder: "10.0.0.1",
                inputmode: "url",
              }, true),
            ),
          ),
          model.nodes.length > 1
            ? h("button", { type: "button", class: "secondary outline", disabled: !allowed, "aria-label": `Remove node ${node.name}`, onclick: () => { model.nodes.splice(n, 1); renderAll(); } }, "Remove node")
            : null,
        ),
      ),
    );
  }

  function renderXml(): void {
    clear(xmlBox);
    xmlBox.append(numberedListing("cluster-xml", clusterXml(model), lineErrors));
  }

  function renderAll(): void {
    renderLans();
    renderNodes();
    renderXml();
  }

  /** Client-side mistakes at their fields; true when there is none. */
  function validate(): boolean {
    const errors = validateCluster(model);
    for (const el of app.querySelectorAll<HTMLInputElement>("#wizard-lans input[id], #wizard-nodes input[id]")) {
      // a reachability answer under a correct field stays
      const e = errors.get(el.id);
      if (e || el.getAttribute("aria-invalid") === "true") fieldError(el, e ?? null);
    }
    const general = [errors.get("lans"), errors.get("nodes")].filter(Boolean);
    if (errors.size) {
      say(general.length ? general.join("; ") : `${errors.size} field${errors.size > 1 ? "s" : ""} to correct`, true);
      app.querySelector<HTMLInputElement>("[aria-invalid=true]")?.focus();
      return false;
    }
    return true;
  }

  async function checkAddresses(): Promise<void> {
    if (!validate()) return;
    say("Checking every address from this node…");
    const fields: [HTMLInputElement, string][] = [];
    model.nodes.forEach((node, n) =>
      model.lans.forEach((_lan, l) => {
        const el = document.getElementById(fieldId.addr(n, l)) as HTMLInputElement | null;
        if (el) fields.push([el, node.addrs[l]]);
      }),
    );
    try {
      const answers = await send<Reach[]>("POST", "/wizard/reachability", "application/json", JSON.stringify({ addresses: fields.map((f) => f[1]) }));
      let unreachable = 0;
      answers.forEach((a, i) => {
        showReach(fields[i][0], a);
        if (!a.reachable) unreachable++;
      });
      say(unreachable ? `${unreachable} address${unreachable > 1 ? "es" : ""} not reachable from this node` : "Every address is reachable from this node.", unreachable > 0);
    } catch (err) {
      say(`reachability: ${message(err)}`, true);
    }
  }

  async function check(): Promise<boolean> {
    if (!validate()) return false;
    say("Checking cluster.xml…");
    try {
      const c = await send<ClusterCheck>("POST", "/cluster/check", "application/xml", clusterXml(model));
      lineErrors = c.errors;
      renderXml();
      say(c.valid ? "cluster.xml is valid." : `cluster.xml has ${c.errors.length} error${c.errors.length > 1 ? "s" : ""}: see the lines marked below.`, !c.valid);
      return c.valid;
    } catch (err) {
      say(`check: ${message(err)}`, true);
      return false;
    }
  }

  async function apply(): Promise<void> {
    if (!validate()) return;
    clear(resultBox);
    say("Saving and applying on every node…");
    try {
      const a = await send<ClusterApply>("POST", "/wizard/cluster/apply", "application/xml", clusterXml(model));
      lineErrors = a.errors;
      renderXml();
      if (!a.valid) {
        say("cluster.xml is not valid: nothing was applied; see the lines marked below.", true);
        return;
      }
      const failed = a.servers.filter((s) => !s.success).length;
      resultBox.append(resultTable("cluster-results", a.servers, (s) => nodeOfServer(model, s)));
      say(failed ? `Applied, but it failed on ${failed} node${failed > 1 ? "s" : ""}.` : "The cluster configuration is applied on every node.", failed > 0);
      ctx.applied?.();
    } catch (err) {
      say(`apply: ${message(err)}`, true);
    }
  }

  clear(app);
  app.append(
    h("nav", { "aria-label": "breadcrumb" }, h("ul", {}, h("li", {}, h("a", { href: "#/monitoring" }, "Monitoring")), h("li", {}, "Cluster configuration"))),
    h("h1", { tabindex: "-1", id: "title" }, "Cluster configuration"),
    readOnlyNote(ctx.role) ?? "",
    h(
      "form",
      { id: "cluster-wizard", novalidate: true, onsubmit: (e: Event) => { e.preventDefault(); void apply(); } },
      h(
        "section",
        { "aria-labelledby": "lans-title" },
        h("h2", { id: "lans-title" }, "1. Lans"),
        h("p", {}, h("small", {}, "The networks that link the nodes; commands between nodes go through the one marked.")),
        lansBox,
        h("button", { type: "button", id: "add-lan", class: "outline", disabled: !allowed, onclick: () => { model.lans.push({ name: `lan${model.lans.length + 1}`, command: false }); renderAll(); } }, "New lan"),
      ),
      h(
        "section",
        { "aria-labelledby": "nodes-title" },
        h("h2", { id: "nodes-title" }, "2. Nodes"),
        h("p", {}, h("small", {}, "Each node's name and its address on every lan. Check that this node reaches them (a TCP connection to the web port).")),
        nodesBox,
        h(
          "div",
          { class: "controls" },
          h("button", { type: "button", id: "add-node", class: "outline", disabled: !allowed, onclick: () => { model.nodes.push({ name: `node${model.nodes.length + 1}`, addrs: model.lans.map(() => "") }); renderAll(); document.getElementById(fieldId.addr(model.nodes.length - 1, 0))?.focus(); } }, "New node"),
          h("button", { type: "button", id: "check-addresses", class: "secondary", disabled: !allowed, onclick: () => void checkAddresses() }, "Check the addresses"),
        ),
      ),
      h(
        "section",
        { "aria-labelledby": "xml-title" },
        h("h2", { id: "xml-title" }, "3. cluster.xml"),
        xmlBox,
        h(
          "div",
          { class: "controls" },
          h("button", { type: "button", id: "check-cluster", class: "secondary", disabled: !allowed, onclick: () => void check() }, "Check"),
          h("button", { type: "submit", id: "apply-cluster", disabled: !allowed }, "Save and apply to all nodes"),
        ),
      ),
      status,
      h("section", { "aria-labelledby": "result-title" }, h("h2", { id: "result-title" }, "4. Result"), resultBox),
    ),
  );
  renderAll();
  document.getElementById("title")?.focus();
}
