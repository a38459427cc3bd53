// What both configuration wizards share: requests with a body, the result of each node, errors
// shown at their line, and the note that a role other than Admin cannot change the configuration.
import "./wizard.css";
import { h } from "./dom";

/** One node's answer to a distributed command (POST /wizard/cluster/apply, …/apply). */
export interface ServerResult {
  server: string;
  success: boolean;
  exitCode: number;
  output: string;
}

/** An error of a configuration file, as the API and `safekit confcheck` give it. */
export interface LineError {
  file: string;
  line: number;
  column: number;
  message: string;
}

// requests with a body: the API's, shared with the other pages
export { send } from "./api";

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Changing the configuration is the Admin role's (spec G.2). */
export function mayConfigure(role: string | null): boolean {
  return role === "Admin";
}

export function readOnlyNote(role: string | null): HTMLElement | null {
  return mayConfigure(role)
    ? null
    : h(
        "p",
        { class: "readonly", id: "wizard-readonly", role: "note" },
        `Read only: configuring needs the Admin role, yours is ${role ?? "Monitor"}.`,
      );
}

/**
 * The errors in a verb's output, `…/userconfig.xml:12:5: /safe/service: message`, with the file's
 * own name; other lines are not errors.
 */
export function parseLineErrors(output: string): LineError[] {
  const errors: LineError[] = [];
  for (const line of output.split("\n")) {
    const m = /^(?:Error: )?(\S*?)([^/\s]+):(\d+):(\d+): (.*)$/.exec(line.trim());
    if (m) {
      errors.push({ file: m[2], line: Number(m[3]), column: Number(m[4]), message: m[5] });
    }
  }
  return errors;
}

/** The table of each node's result: Success or Failure with what the command printed there. */
export function resultTable(id: string, results: ServerResult[], nameOf: (server: string) => string): HTMLElement {
  return h(
    "div",
    { class: "overflow-auto" },
    h(
      "table",
      { id, class: "striped" },
      h("caption", {}, "Result per node"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Node"), h("th", { scope: "col" }, "Result"), h("th", { scope: "col" }, "Output"))),
      h(
        "tbody",
        {},
        ...results.map((r) =>
          h(
            "tr",
            { "data-server": r.server, "data-success": String(r.success) },
            h("th", { scope: "row" }, nameOf(r.server)),
            h("td", {}, h("span", { class: `state ${r.success ? "st-green" : "st-red"}` }, r.success ? "Success" : `Failure (exit code ${r.exitCode})`)),
            h("td", {}, h("pre", { class: "output" }, r.output || "—")),
          ),
        ),
      ),
    ),
  );
}

/**
 * A file with its line numbers and the errors under the line they are at, for the generated
 * cluster.xml and the checked userconfig.xml.
 */
export function numberedListing(id: string, text: string, errors: LineError[]): HTMLElement {
  const byLine = new Map<number, LineError[]>();
  for (const e of errors) {
    byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  }
  const lines = text.split("\n");
  const beyond = errors.filter((e) => e.line < 1 || e.line > lines.length);
  return h(
    "ol",
    { id, class: "listing" },
    ...lines.map((l, i) => {
      const errs = byLine.get(i + 1) ?? [];
      return h(
        "li",
        { class: errs.length ? "err-line" : undefined, "data-line": i + 1 },
        h("code", {}, l || " "),
        ...errs.map((e) => h("small", { class: "error", role: "alert" }, `line ${e.line}, column ${e.column}: ${e.message}`)),
      );
    }),
    ...beyond.map((e) => h("li", { class: "err-line" }, h("small", { class: "error", role: "alert" }, `line ${e.line}: ${e.message}`))),
  );
}

/** A field's message under it (Pico shows aria-invalid fields in red and the small text below). */
export function fieldError(input: HTMLElement, text: string | null, ok?: string): void {
  const id = `${input.id}-help`;
  let help = document.getElementById(id);
  if (!help) {
    help = h("small", { id });
    input.insertAdjacentElement("afterend", help);
    input.setAttribute("aria-describedby", id);
  }
  if (text) {
    input.setAttribute("aria-invalid", "true");
    help.textContent = text;
  } else if (ok) {
    input.setAttribute("aria-invalid", "false");
    help.textContent = ok;
  } else {
    input.removeAttribute("aria-invalid");
    help.textContent = "";
  }
}

/** Escapes a value for an XML attribute. */
export function attr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
