// The editing of userconfig.xml in place that the module wizard's forms share: a section lists
// elements of the document, each field edits one attribute, and new elements are indented as a
// person would write them, so that what the forms do not show is kept as written.
import { type ValueRule, valueProblem } from "./field-check";

export interface Field {
  /** The attribute edited; "to@addr" edits the attribute of the first <to> child. */
  attr: string;
  label: string;
  options?: string[];
  placeholder?: string;
  /** Written on a new element; "" writes nothing unless the attribute is required. */
  initial: string;
  /** What the value must be, as the XSD's type says (no rule: any text). */
  rule?: ValueRule;
  /** A rule between this attribute and others of the item (the server's message), or null. */
  relation?: (item: Element, value: string) => string | null;
}

export interface Section {
  key: string;
  title: string;
  help: string;
  /** The elements listed, in document order. */
  items: (doc: XMLDocument) => Element[];
  fields: (item: Element) => Field[];
  /** New elements the section can add, by button label; `when` false hides the button. */
  adds: { label: string; make: (doc: XMLDocument) => Element; when?: (doc: XMLDocument) => boolean }[];
  /** Removes an element, and its container when it was the last. */
  remove: (item: Element) => void;
  label: (item: Element) => string;
  /** What an item is, shown above its fields when a section lists several kinds. */
  kind?: (item: Element) => string;
}

export function service(doc: XMLDocument): Element | null {
  return doc.querySelector("safe > service") ?? doc.querySelector("service");
}

/** The child of {@code parent} named {@code tag}, made (and indented) when missing. */
export function child(doc: XMLDocument, parent: Element, tag: string, attrs: Record<string, string> = {}, depth = 1): Element {
  for (const c of Array.from(parent.children)) {
    if (c.tagName === tag) return c;
  }
  return append(doc, parent, tag, attrs, depth);
}

export function append(doc: XMLDocument, parent: Element, tag: string, attrs: Record<string, string>, depth: number): Element {
  const e = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  const indent = "  ".repeat(depth);
  // keep the file readable: the new element on its own line, the parent's end tag after it
  const last = parent.lastChild;
  if (last && last.nodeType === Node.TEXT_NODE && /^\s*$/.test(last.textContent ?? "")) {
    parent.insertBefore(doc.createTextNode("\n" + indent), last);
    parent.insertBefore(e, last);
  } else {
    parent.append(doc.createTextNode("\n" + indent), e, doc.createTextNode("\n" + "  ".repeat(depth - 1)));
  }
  return e;
}

/** Removes an element with the blank text before it; its ancestors up to {@code stop} when emptied. */
export function removeUp(item: Element, stop: string): void {
  let e: Element | null = item;
  while (e && e.tagName !== stop) {
    const parent: Element | null = e.parentElement;
    const before = e.previousSibling;
    if (before && before.nodeType === Node.TEXT_NODE && /^\s*$/.test(before.textContent ?? "")) before.remove();
    e.remove();
    if (!parent || parent.children.length > 0) break;
    e = parent;
  }
}

function split(attr: string): [string, string] {
  const [tag, name] = attr.includes("@") ? attr.split("@") : ["", attr];
  return [tag, name];
}

export function getField(item: Element, attr: string): string {
  const [tag, name] = split(attr);
  const target = tag ? item.querySelector(tag) : item;
  return target?.getAttribute(name) ?? "";
}

/** Sets a field's attribute; an empty optional one is removed, so that its default applies. */
export function setField(doc: XMLDocument, item: Element, field: Field, value: string): void {
  const [tag, name] = split(field.attr);
  const target = tag ? (item.querySelector(tag) ?? append(doc, item, tag, {}, 4)) : item;
  if (value === "" && !field.rule?.required) target.removeAttribute(name);
  else target.setAttribute(name, value);
}

/** The server's message for a field's value on this item, or null (field-check.ts). */
export function fieldProblem(item: Element, field: Field, value: string): string | null {
  const [tag, name] = split(field.attr);
  const own = field.rule ? valueProblem(field.rule, value, name, tag || item.tagName) : null;
  return own ?? field.relation?.(item, value) ?? null;
}

/** The attributes a new element is written with: the required ones and those with a value. */
export function defaults(fields: Field[]): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const f of fields) if (!f.attr.includes("@") && (f.initial !== "" || f.rule?.required)) attrs[f.attr] = f.initial;
  return attrs;
}

/** The attributes of a new element's <to>, or null when its fields edit none. */
export function toDefaults(fields: Field[]): Record<string, string> | null {
  const to = fields.filter((f) => f.attr.startsWith("to@"));
  if (!to.length) return null;
  const attrs: Record<string, string> = {};
  for (const f of to) if (f.initial !== "" || f.rule?.required) attrs[f.attr.slice(3)] = f.initial;
  return attrs;
}
