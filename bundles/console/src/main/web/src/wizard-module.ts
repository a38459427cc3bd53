// The module configuration wizard (spec G.4, F.5): a new module from a stock .safe template (or an
// installed one), its configuration as forms (macros, virtual IP, replicated directories, process
// monitoring, checkers) or, in the advanced mode, userconfig.xml and the scripts as text; the nodes
// to apply it on; "Save and check" (this node only, safekit confcheck) and "Save and apply"
// (safekit -H "<nodes>" -E AM), with the errors at their line and the result of each node.
import { clear, h } from "./dom";
import { type Section, fieldProblem, getField, modeOf, parseXml, sections, serialize, setField } from "./userconfig";
import {
  type LineError,
  type ServerResult,
  fieldError,
  mayConfigure,
  message,
  numberedListing,
  parseLineErrors,
  readOnlyNote,
  resultTable,
  send,
} from "./wizard-common";
import { nodeChooser } from "./wizard-nodes";

export interface ModuleWizardContext {
  role: string | null;
  /** An installed module to edit, from the route; else a new one. */
  module?: string;
  /** The modules of this node, for "edit an installed module". */
  installed: string[];
}

interface Template {
  name: string;
  file: string;
}

interface FileText {
  path: string;
  content: string;
}

interface Saved {
  valid: boolean;
  output: string;
}

const USERCONFIG = "conf/userconfig.xml";

/** The id of a form field: section, item index, attribute ("check-0-to-local_addr"). */
function fieldId(key: string, i: number, attr: string): string {
  return `${key}-${i}-${attr.replace("@", "-")}`;
}

export function showModuleWizard(app: HTMLElement, ctx: ModuleWizardContext): void {
  const allowed = mayConfigure(ctx.role);
  const files = new Map<string, string>();
  let module = "";
  let doc: XMLDocument | null = null;
  let advanced = false;
  let current = USERCONFIG;
  let errors: LineError[] = [];

  const status = h("p", { id: "wizard-status", role: "status", class: "status" });
  const say = (text: string, error = false) => {
    status.textContent = text;
    status.classList.toggle("error", error);
  };
  const configBox = h("section", { id: "module-config", "aria-labelledby": "config-title", hidden: true });
  const resultBox = h("div", { id: "module-result", "aria-live": "polite" });

  // ---- 1. template and name --------------------------------------------------------------------

  const templateSelect = h("select", { id: "template", name: "template", disabled: !allowed, required: true });
  const nameInput = h("input", { id: "module-name", name: "module-name", disabled: !allowed, autocomplete: "off", pattern: "[A-Za-z0-9_-]{1,64}", required: true });
  const idInput = h("input", { id: "module-id", name: "module-id", type: "number", min: 1, max: 999999, disabled: !allowed, placeholder: "automatic" });
  const installedSelect = h("select", { id: "installed", name: "installed", disabled: !allowed }, ...ctx.installed.map((m) => h("option", { value: m }, m)));
  templateSelect.addEventListener("change", () => {
    if (!nameInput.dataset.typed) nameInput.value = templateSelect.value;
  });
  nameInput.addEventListener("input", () => (nameInput.dataset.typed = "1"));

  async function loadTemplates(): Promise<void> {
    if (!allowed) return;
    try {
      const list = await send<Template[]>("GET", "/wizard/templates");
      clear(templateSelect);
      templateSelect.append(...list.map((t) => h("option", { value: t.name }, `${t.name}.safe`)));
      const mirror = list.find((t) => t.name === "mirror");
      if (mirror) templateSelect.value = mirror.name;
      if (!nameInput.value) nameInput.value = templateSelect.value;
    } catch (err) {
      say(`templates: ${message(err)}`, true);
    }
  }

  async function install(): Promise<void> {
    const name = nameInput.value.trim();
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      nameInput.setAttribute("aria-invalid", "true");
      say("The module name may hold letters, digits, '_' and '-' only.", true);
      nameInput.focus();
      return;
    }
    nameInput.removeAttribute("aria-invalid");
    say(`Installing ${name} from ${templateSelect.value}.safe…`);
    const id = idInput.value ? `&id=${encodeURIComponent(idInput.value)}` : "";
    try {
      await send("POST", `/wizard/modules/${encodeURIComponent(name)}/install?template=${encodeURIComponent(templateSelect.value)}${id}`);
      await open(name);
      say(`${name} is installed on this node from ${templateSelect.value}.safe: configure it, then save.`);
    } catch (err) {
      say(`install: ${message(err)}`, true);
    }
  }

  async function open(name: string): Promise<void> {
    const [list] = await Promise.all([send<FileText[]>("GET", `/wizard/modules/${encodeURIComponent(name)}/files`), chooser.load(name)]);
    module = name;
    files.clear();
    for (const f of list) files.set(f.path, f.content);
    current = USERCONFIG;
    errors = [];
    reparse();
    clear(resultBox);
    renderConfig();
    configBox.hidden = false;
    history.replaceState(null, "", `#/wizard/module/${encodeURIComponent(name)}`);
    document.getElementById("config-title")?.focus();
  }

  // ---- 2. configuration: forms or text --------------------------------------------------------

  /** The form's document from the text; null (and the reason said) when it is not XML. */
  function reparse(): string | null {
    const parsed = parseXml(files.get(USERCONFIG) ?? "");
    if ("error" in parsed) {
      doc = null;
      return parsed.error;
    }
    doc = parsed.doc;
    return null;
  }

  function formChanged(): void {
    if (doc) files.set(USERCONFIG, serialize(doc));
  }

  /** Marks every field the server would refuse; the first one's message, or null when none. */
  function formProblems(): string | null {
    if (advanced || !doc) return null;
    let first: HTMLElement | null = null;
    let count = 0;
    let text = "";
    for (const s of sections(modeOf(doc))) {
      s.items(doc).forEach((item, i) => {
        for (const f of s.fields(item)) {
          const input = document.getElementById(fieldId(s.key, i, f.attr));
          if (!(input instanceof HTMLInputElement || input instanceof HTMLSelectElement)) continue;
          const problem = fieldProblem(item, f, getField(item, f.attr));
          fieldError(input, problem);
          if (problem) {
            count++;
            if (!first) {
              first = input;
              text = `${s.label(item) || s.title}: ${problem}`;
            }
          }
        }
      });
    }
    (first as HTMLElement | null)?.focus();
    return count ? `${count} field${count > 1 ? "s are" : " is"} not valid, nothing was saved. ${text}` : null;
  }

  function sectionView(s: Section, d: XMLDocument): HTMLElement {
    const items = s.items(d);
    return h(
      "fieldset",
      { id: `section-${s.key}`, class: "wizard-section" },
      h("legend", {}, h("strong", {}, s.title)),
      h("small", {}, s.help),
      items.length ? null : h("p", { class: "readonly" }, "None."),
      ...items.map((item, i) =>
        h(
          "div",
          { class: "grid item", "data-item": `${s.key}-${i}`, "data-kind": s.kind ? item.tagName : undefined },
          s.kind ? h("strong", { class: "item-kind" }, s.kind(item)) : null,
          ...s.fields(item).map((f) => {
            const id = fieldId(s.key, i, f.attr);
            const value = getField(item, f.attr);
            const onChange = (v: string) => {
              setField(d, item, f, v);
              formChanged();
            };
            const label = s.key === "macros" ? s.label(item) : f.label;
            if (f.options) {
              const sel = h("select", { id, disabled: !allowed }, ...[...new Set([value || f.initial, ...f.options])].map((o) => h("option", { value: o, selected: o === (value || f.initial) }, o)));
              sel.addEventListener("change", () => {
                onChange(sel.value);
                // a choice may make another one of the item wrong (a tcp checker's when and action)
                for (const g of s.fields(item).filter((x) => x.options)) {
                  const other = document.getElementById(fieldId(s.key, i, g.attr));
                  if (other) fieldError(other, fieldProblem(item, g, getField(item, g.attr)));
                }
              });
              return h("label", { for: id }, label, sel);
            }
            const input = h("input", { id, value, placeholder: f.placeholder, disabled: !allowed, autocomplete: "off", "aria-required": f.rule?.required ? "true" : undefined });
            // the server's words at the field as it is typed (field-check.ts)
            const checkValue = () => fieldError(input, fieldProblem(item, f, input.value));
            input.addEventListener("input", () => {
              onChange(input.value);
              checkValue();
            });
            queueMicrotask(() => input.isConnected && value !== "" && checkValue());
            return h("label", { for: id }, label, input);
          }),
          s.adds.length
            ? h("button", { type: "button", class: "secondary outline remove", disabled: !allowed, "aria-label": `Remove ${s.label(item) || s.title}`, onclick: () => { s.remove(item); formChanged(); renderConfig(); } }, "Remove")
            : null,
        ),
      ),
      s.adds.length
        ? h(
            "div",
            { class: "controls" },
            ...s.adds.map((a, k) =>
              a.when && !a.when(d) ? null : h("button", { type: "button", class: "outline", id: `add-${s.key}-${k}`, disabled: !allowed, onclick: () => { a.make(d); formChanged(); renderConfig(); focusLast(s.key); } }, a.label),
            ),
          )
        : null,
    );
  }

  /** The first field of the entry just added. */
  function focusLast(key: string): void {
    const items = configBox.querySelectorAll<HTMLElement>(`#section-${key} [data-item]`);
    items[items.length - 1]?.querySelector<HTMLElement>("input, select")?.focus();
  }

  function formView(): HTMLElement {
    const why = doc ? null : reparse();
    if (!doc) {
      return h("p", { class: "error", role: "alert", id: "form-unavailable" }, `userconfig.xml is not well-formed XML, correct it in the advanced configuration: ${why}`);
    }
    const d = doc;
    return h("div", { id: "module-form" }, ...sections(modeOf(d)).map((s) => sectionView(s, d)));
  }

  function goToLine(area: HTMLTextAreaElement, line: number): void {
    const lines = area.value.split("\n");
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    // scroll the line into view: the text area's lines are of one height
    const lineHeight = area.scrollHeight / Math.max(1, lines.length);
    area.scrollTop = Math.max(0, (line - 3) * lineHeight);
  }

  function advancedView(): HTMLElement {
    const select = h("select", { id: "file-select", "aria-label": "File" }, ...[...files.keys()].map((p) => h("option", { value: p, selected: p === current }, p)));
    const area = h("textarea", { id: "file-text", rows: 18, spellcheck: "false", disabled: !allowed, "aria-label": current, class: "code" });
    area.value = files.get(current) ?? "";
    const fileErrors = errors.filter((e) => current.endsWith(e.file));
    if (fileErrors.length) area.setAttribute("aria-invalid", "true");
    select.addEventListener("change", () => {
      current = select.value;
      renderConfig();
      document.getElementById("file-text")?.focus();
    });
    area.addEventListener("input", () => {
      files.set(current, area.value);
      if (current === USERCONFIG) {
        const why = reparse();
        const note = document.getElementById("xml-wellformed");
        if (note) note.textContent = why ? `Not well-formed XML: ${why}` : "";
      }
    });
    return h(
      "div",
      { id: "module-advanced" },
      h("label", { for: "file-select" }, "File", select),
      area,
      h("small", { id: "xml-wellformed", class: "error", role: "alert" }),
      fileErrors.length
        ? h(
            "ul",
            { id: "file-errors", class: "error" },
            ...fileErrors.map((e) =>
              h("li", {}, h("button", { type: "button", class: "secondary outline", onclick: () => goToLine(area, e.line) }, `Line ${e.line}`), ` column ${e.column}: ${e.message}`),
            ),
          )
        : null,
    );
  }

  function renderConfig(): void {
    clear(configBox);
    const mode = h(
      "div",
      { role: "group", "aria-label": "How to edit the configuration" },
      h("button", { type: "button", id: "mode-form", class: advanced ? "secondary outline" : "", "aria-pressed": String(!advanced), onclick: () => { advanced = false; reparse(); renderConfig(); } }, "Form"),
      h("button", { type: "button", id: "mode-advanced", class: advanced ? "" : "secondary outline", "aria-pressed": String(advanced), onclick: () => { advanced = true; renderConfig(); } }, "Advanced configuration"),
    );
    const checked = errors.length && current === USERCONFIG && !advanced ? numberedListing("userconfig-listing", files.get(USERCONFIG) ?? "", errors) : null;
    configBox.append(
      h("h2", { id: "config-title", tabindex: "-1" }, `2. Configuration of ${module}`),
      mode,
      advanced ? advancedView() : formView(),
      checked ? h("details", { open: true }, h("summary", {}, "userconfig.xml, with its errors"), checked) : "",
      h("h2", {}, "3. Nodes"),
      chooser.view(),
      h(
        "div",
        { class: "controls" },
        h("button", { type: "button", id: "save-check", class: "secondary", disabled: !allowed, onclick: () => void save(false) }, "Save and check"),
        h("button", { type: "button", id: "save-apply", disabled: !allowed, onclick: () => void save(true) }, "Save and apply"),
      ),
    );
  }

  // ---- 3. nodes, then save --------------------------------------------------------------------

  const chooser = nodeChooser(allowed);

  async function save(apply: boolean): Promise<void> {
    clear(resultBox);
    const invalid = formProblems();
    if (invalid) {
      say(invalid, true);
      return;
    }
    if (apply) {
      // a state may have changed since the page showed it: read them again before applying
      say(`Reading the state of ${module} on each node…`);
      await chooser.refresh(module);
    }
    if (apply && chooser.targets().length === 0) {
      const refused = chooser.refused();
      say(refused.length ? `Nothing applied: ${refused.join("; ")}.` : "Choose at least one node to apply on.", true);
      return;
    }
    say(`Saving ${module} on this node and checking it…`);
    try {
      const saved = await send<Saved>("PUT", `/wizard/modules/${encodeURIComponent(module)}/files`, "application/json", JSON.stringify({ files: [...files].map(([path, content]) => ({ path, content })) }));
      errors = parseLineErrors(saved.output);
      renderConfig();
      resultBox.append(h("pre", { id: "check-output", class: "output" }, saved.output.trim() || "(no output)"));
      if (!saved.valid) {
        say(errors.length ? `The configuration has ${errors.length} error${errors.length > 1 ? "s" : ""}: see the lines marked.` : "The check failed: see its output.", true);
        document.querySelector<HTMLElement>("#file-errors button, #userconfig-listing .err-line")?.scrollIntoView({ block: "center" });
        return;
      }
      if (!apply) {
        say(`Saved on this node and checked: the configuration of ${module} is valid. It is not applied yet.`);
        return;
      }
      const targets = chooser.targets();
      say(`Applying ${module} on ${targets.join(", ")}…`);
      const results = await send<ServerResult[]>("POST", `/wizard/modules/${encodeURIComponent(module)}/apply?nodes=${encodeURIComponent(targets.join(","))}`);
      resultBox.append(resultTable("module-results", results, chooser.nameOf));
      const failed = results.filter((r) => !r.success).length;
      const skipped = chooser.refused();
      const notHere = skipped.length ? ` Not applied on ${skipped.join("; ")}.` : "";
      say(
        failed
          ? `Applied, but it failed on ${failed} node${failed > 1 ? "s" : ""}: see the output of each node.${notHere}`
          : `${module} is applied on ${targets.join(", ")}: start it from the monitoring page.${notHere}`,
        failed > 0 || skipped.length > 0,
      );
    } catch (err) {
      say(`${apply ? "save and apply" : "save and check"}: ${message(err)}`, true);
    }
  }

  // ---- the page --------------------------------------------------------------------------------

  clear(app);
  app.append(
    h("nav", { "aria-label": "breadcrumb" }, h("ul", {}, h("li", {}, h("a", { href: "#/monitoring" }, "Monitoring")), h("li", {}, "Module configuration"))),
    h("h1", { tabindex: "-1", id: "title" }, "Module configuration"),
    readOnlyNote(ctx.role) ?? "",
    h(
      "section",
      { "aria-labelledby": "new-title" },
      h("h2", { id: "new-title" }, "1. Module"),
      h(
        "form",
        { id: "new-module", onsubmit: (e: Event) => { e.preventDefault(); void install(); } },
        h("div", { class: "grid" }, h("label", { for: "template" }, "Template", templateSelect), h("label", { for: "module-name" }, "Module name", nameInput), h("label", { for: "module-id" }, "Module id (optional)", idInput)),
        h("button", { type: "submit", id: "install-module", disabled: !allowed }, "Install the new module"),
      ),
      ctx.installed.length
        ? h(
            "form",
            { id: "edit-module", onsubmit: (e: Event) => { e.preventDefault(); void open(installedSelect.value).catch((err) => say(`open: ${message(err)}`, true)); } },
            h("fieldset", { role: "group" }, installedSelect, h("button", { type: "submit", class: "secondary", id: "open-module", disabled: !allowed }, "Edit this installed module")),
          )
        : null,
    ),
    configBox,
    status,
    h("section", { "aria-labelledby": "mresult-title" }, h("h2", { id: "mresult-title" }, "4. Result"), resultBox),
  );
  document.getElementById("title")?.focus();
  void loadTemplates();
  if (ctx.module && allowed) {
    void open(ctx.module).catch((err) => say(`open ${ctx.module}: ${message(err)}`, true));
  }
}
