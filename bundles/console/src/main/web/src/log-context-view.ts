// The context of a module log row in a dialog (spec G.4): the verbose rows around it, the row
// marked, and for a row that reports a script, the script's output (its application log). Read
// from the row's node: "/nodes/<node>" through this one for another node, as the log itself.
import * as api from "./api";
import { clear, h } from "./dom";
import { type ScriptRow, context, contextQueries, scriptOf, ulogAfter } from "./log-context";

export interface ContextView {
  base: string;
  module: string;
  dialog: HTMLDialogElement;
}

interface UserLogList {
  logs: { name: string }[];
}

interface UserLogLines {
  name: string;
  lines: string[];
  next?: number | null;
}

/** Lines of a script's output shown at most; the API pages the rest. */
const OUTPUT_LINES = 1000;

function line(e: api.LogEntry, current: boolean): HTMLElement {
  return h(
    "li",
    { class: `lvl-${e.level}${current ? " current" : ""}`, "aria-current": current ? "true" : undefined, "data-seq": e.seq },
    h("time", { datetime: e.time }, new Date(e.time).toLocaleTimeString()),
    h("span", { class: "lvl" }, e.level),
    h("span", { class: "comp" }, e.component),
    h("span", { class: "msg" }, e.message),
  );
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Opens the dialog on row {@code row} and fills it as the answers come. */
export async function showContext(v: ContextView, row: api.LogEntry, onError: (m: string) => void): Promise<void> {
  const path = `${v.base}/modules/${encodeURIComponent(v.module)}`;
  const around = h("div", { id: "context-rows", class: "log", "aria-busy": "true" }, "Reading the verbose log…");
  const script = scriptOf(row);
  const output = script ? h("div", { id: "context-output", "aria-busy": "true" }, `Reading the output of ${script.script}…`) : null;
  const close = h("button", { class: "secondary", id: "context-close", onclick: () => v.dialog.close() }, "Close");
  clear(v.dialog);
  v.dialog.append(
    h(
      "article",
      {},
      h(
        "header",
        {},
        h("h3", { id: "log-context-title" }, `Around ${new Date(row.time).toLocaleString()}`),
        h("p", {}, h("small", {}, `${row.level} ${row.component}: ${row.message}`)),
      ),
      h("h4", {}, "The verbose log around it"),
      around,
      output ? h("h4", {}, `What ${script!.script} printed`) : null,
      output,
      h("footer", {}, close),
    ),
  );
  if (!v.dialog.open) v.dialog.showModal();
  close.focus();
  const q = contextQueries(row.seq);
  let after: api.LogEntry[] = [];
  try {
    const [before, from] = await Promise.all([
      api.get<api.LogPage>(`${path}/log?${q.before}`),
      api.get<api.LogPage>(`${path}/log?${q.from}`),
    ]);
    after = from.entries;
    const c = context(row.seq, before.entries, from.entries);
    clear(around);
    around.append(c.rows.length ? h("ol", {}, ...c.rows.map((e, i) => line(e, i === c.at))) : h("p", {}, "The log no longer has these rows."));
    around.querySelector<HTMLElement>("li.current")?.scrollIntoView({ block: "center" });
  } catch (err) {
    clear(around);
    around.append(h("p", { class: "error" }, `verbose log: ${message(err)}`));
    onError(`log context: ${message(err)}`);
  } finally {
    around.removeAttribute("aria-busy");
  }
  if (script && output) {
    await showOutput(path, row, script, after, output);
  }
}

/** The script's application log: named by the row, by its run's end row, else its newest one. */
async function showOutput(path: string, row: api.LogEntry, script: ScriptRow, after: api.LogEntry[], into: HTMLElement): Promise<void> {
  const say = (...children: (Node | string)[]) => {
    clear(into);
    into.append(...children);
    into.removeAttribute("aria-busy");
  };
  try {
    let ulog = ulogAfter(row, script, after);
    let note = "";
    if (!ulog) {
      // a long run: its end row is further on (the script's rows only)
      const q = new URLSearchParams({ verbose: "true", component: "userplug", after: String(row.seq), limit: "1000" });
      ulog = ulogAfter(row, script, (await api.get<api.LogPage>(`${path}/log?${q}`)).entries);
    }
    if (!ulog) {
      const list = await api.get<UserLogList>(`${path}/userlogs?${new URLSearchParams({ script: script.script, limit: "1" })}`);
      if (list.logs.length === 0) {
        say(h("p", {}, `No application log of ${script.script} on this node (a module with <user logging="none"> keeps none).`));
        return;
      }
      ulog = list.logs[0].name;
      note = " (the run has not ended yet, or its end is no longer in the log: the newest application log of this script)";
    }
    const lines = await api.get<UserLogLines>(`${path}/userlogs/${encodeURIComponent(ulog)}?limit=${OUTPUT_LINES}`);
    say(
      h("p", {}, h("small", {}, `${ulog}${note}`)),
      lines.lines.length ? h("pre", { id: "context-ulog" }, lines.lines.join("\n")) : h("p", {}, "It printed nothing."),
      lines.next ? h("p", {}, h("small", {}, `The first ${lines.lines.length} lines: the rest is in the application log.`)) : "",
    );
  } catch (err) {
    say(h("p", { class: "error" }, `output of ${script.script}: ${message(err)}`));
  }
}
