// The live module log of a module's details (spec G.6): the newest rows first, then the rows after
// the last one every second; filters by level and the verbose log. A click on a row (or Enter on
// it) opens its context (spec G.4): the verbose log around it and, for a script, its output.
import * as api from "./api";
import { clear, h } from "./dom";
import { type ContextView, showContext } from "./log-context-view";

const LEVELS: Record<string, string> = { E: "events", C: "critical", U: "user actions", S: "scripts" };

export class ModuleLog {
  private after = 0;
  private entries: api.LogEntry[] = [];
  private verbose = false;
  private readonly levels = new Set<string>();
  private timer: number | undefined;
  /** Bumped when the filters change, so that an answer to the old ones is dropped. */
  private generation = 0;
  private readonly list = h("div", { id: "log", class: "log", "aria-label": "module log, newest first" });
  /** The row whose context is open: focused again when the context closes. */
  private opened: number | null = null;
  private readonly context: ContextView;

  /** {@code base}: "" for this node, "/nodes/<node>" for another one (through this node). */
  constructor(
    private readonly module: string,
    private readonly onError: (message: string) => void,
    private readonly base = "",
  ) {
    this.context = { base, module, dialog: h("dialog", { id: "log-context", "aria-labelledby": "log-context-title" }) };
    this.context.dialog.addEventListener("close", () => this.refocus());
  }

  view(): HTMLElement {
    return h(
      "section",
      { "aria-labelledby": "log-title" },
      h("h2", { id: "log-title" }, "Module log"),
      this.filters(),
      h("p", {}, h("small", {}, "Click a row, or Enter on it, for the verbose log around it and a script's output.")),
      this.list,
      this.context.dialog,
    );
  }

  start(): Promise<void> {
    this.stop();
    this.timer = window.setInterval(() => void this.refresh(), 1000);
    return this.refresh();
  }

  stop(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
    if (this.context.dialog.open) this.context.dialog.close();
  }

  private open(e: api.LogEntry): void {
    this.opened = e.seq;
    void showContext(this.context, e, this.onError);
  }

  private refocus(): void {
    if (this.opened === null) return;
    this.list.querySelector<HTMLElement>(`li[data-seq="${this.opened}"]`)?.focus();
    this.opened = null;
  }

  private filters(): HTMLElement {
    const boxes = Object.entries(LEVELS).map(([level, label]) =>
      h(
        "label",
        {},
        h("input", {
          type: "checkbox",
          name: "level",
          value: level,
          onchange: (e: Event) => {
            if ((e.target as HTMLInputElement).checked) this.levels.add(level);
            else this.levels.delete(level);
            this.restart();
          },
        }),
        label,
      ),
    );
    const verbose = h(
      "label",
      {},
      h("input", {
        type: "checkbox",
        role: "switch",
        onchange: (e: Event) => {
          this.verbose = (e.target as HTMLInputElement).checked;
          this.restart();
        },
      }),
      "verbose",
    );
    return h("fieldset", { class: "filters" }, h("legend", {}, "Show"), ...boxes, verbose);
  }

  private restart(): void {
    this.generation++;
    this.after = 0;
    this.entries = [];
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    const generation = this.generation;
    const q = new URLSearchParams({ limit: "200" });
    if (this.after > 0) q.set("after", String(this.after));
    if (this.verbose) q.set("verbose", "true");
    if (this.levels.size) q.set("level", [...this.levels].join(","));
    let page: api.LogPage;
    try {
      page = await api.get<api.LogPage>(`${this.base}/modules/${encodeURIComponent(this.module)}/log?${q}`);
    } catch (err) {
      this.onError(`log: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (generation !== this.generation || (page.entries.length === 0 && this.entries.length > 0)) {
      return;
    }
    this.entries = [...this.entries, ...page.entries].slice(-500);
    this.after = Math.max(this.after, page.next);
    this.render();
  }

  private render(): void {
    const focused = (document.activeElement as HTMLElement | null)?.closest?.("#log li")?.getAttribute("data-seq");
    clear(this.list);
    if (this.entries.length === 0) {
      this.list.append(h("p", {}, "No row matches."));
      return;
    }
    const rows = h("ol", { reversed: true });
    for (const e of [...this.entries].reverse()) {
      rows.append(
        h(
          "li",
          {
            class: `lvl-${e.level}`,
            tabindex: "0",
            "data-seq": e.seq,
            "aria-haspopup": "dialog",
            title: "the verbose log around this row",
            onclick: () => this.open(e),
            onkeydown: (k: Event) => {
              if ((k as KeyboardEvent).key === "Enter" || (k as KeyboardEvent).key === " ") {
                k.preventDefault();
                this.open(e);
              }
            },
          },
          h("time", { datetime: e.time }, new Date(e.time).toLocaleTimeString()),
          h("span", { class: "lvl" }, e.level),
          h("span", { class: "comp" }, e.component),
          h("span", { class: "msg" }, e.message),
        ),
      );
    }
    this.list.append(rows);
    // a row that had the focus keeps it when new rows come
    if (focused) this.list.querySelector<HTMLElement>(`li[data-seq="${focused}"]`)?.focus();
  }
}
