// The commands log of any node of the cluster (spec G.7, F.7): who ran what there, newest first,
// read from that node through this one (/nodes/<node>/cmdlog). A node that cannot be reached shows
// ERROR, as on the monitoring page (spec C.1).
import * as api from "./api";
import { clear, h } from "./dom";

export interface CmdlogNode {
  name: string;
  status: "UP" | "ERROR" | "";
  detail?: string;
}

export interface CmdlogContext {
  /** The node whose log is shown. */
  node: string;
  /** The connection node's name. */
  self: string;
  nodes: CmdlogNode[];
  /** The page's status line. */
  status: HTMLElement;
}

export function cmdlogHref(node: string, self: string): string {
  return node === self ? "#/cmdlog" : `#/cmdlog/${encodeURIComponent(node)}`;
}

function chooser(ctx: CmdlogContext): HTMLElement {
  const select = h(
    "select",
    {
      id: "cmdlog-node",
      name: "node",
      onchange: (e: Event) => {
        location.hash = cmdlogHref((e.target as HTMLSelectElement).value, ctx.self);
      },
    },
    ...ctx.nodes.map((n) =>
      h(
        "option",
        { value: n.name, selected: n.name === ctx.node },
        `${n.name}${n.name === ctx.self ? " (this node)" : ""}${n.status === "ERROR" ? " — ERROR" : ""}`,
      ),
    ),
  );
  return h("label", { for: "cmdlog-node", class: "node-chooser" }, "Node", select);
}

/** In place of the rows: ERROR for a node that cannot be reached (with the reason), else why not. */
function failure(text: string, down: boolean): HTMLElement {
  return h(
    "p",
    { id: "cmdlog-error", role: "alert", class: down ? "" : "error" },
    down ? h("span", { class: "state st-red", "data-state": "ERROR" }, "ERROR") : "",
    down ? " " : "",
    text,
  );
}

export async function showCommands(app: HTMLElement, ctx: CmdlogContext): Promise<void> {
  clear(app);
  const body = h("tbody", {});
  const table = h(
    "div",
    { class: "overflow-auto" },
    h(
      "table",
      { id: "cmdlog", class: "striped", "data-node": ctx.node },
      h("caption", {}, `Commands run on ${ctx.node}, newest first`),
      h("thead", {}, h("tr", {}, ...["Time", "Type", "Module", "Id", "", "Command"].map((t) => h("th", { scope: "col" }, t)))),
      body,
    ),
  );
  const known = ctx.nodes.find((n) => n.name === ctx.node);
  app.append(
    h("nav", { "aria-label": "breadcrumb" }, h("ul", {}, h("li", {}, h("a", { href: "#/monitoring" }, "Monitoring")), h("li", {}, "Commands log"), h("li", {}, ctx.node))),
    h("h1", { tabindex: "-1", id: "title" }, `Commands log of ${ctx.node}`),
    h(
      "div",
      { class: "controls" },
      ctx.nodes.length > 1 ? chooser(ctx) : "",
      h("button", { class: "outline", id: "cmdlog-refresh", onclick: () => void showCommands(app, ctx) }, "Refresh"),
    ),
    ctx.status,
  );
  if (known?.status === "ERROR") {
    app.append(failure(`${ctx.node} cannot be reached: ${known.detail ?? "no answer"}`, true));
    return;
  }
  app.append(table);
  try {
    const rows = await api.get<api.CommandRow[]>(`${api.nodeBase(ctx.node, ctx.self)}/cmdlog?limit=200`);
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
    // 502: the connection node could not reach it (its message names the node and why)
    const down = err instanceof api.ApiError && err.status === 502;
    table.replaceWith(failure(`commands log of ${ctx.node}: ${err instanceof Error ? err.message : String(err)}`, down));
  }
}
