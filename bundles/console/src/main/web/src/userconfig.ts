// userconfig.xml as the module wizard's forms edit it (spec B.2–B.13): the document is parsed by the
// browser and the forms change it in place, so that what they do not show (comments, heart,
// failover rules …) is kept as written. Each list the forms show is described here: where its
// elements are, the attributes each field edits, and how a new one is made.

export interface Field {
  /** The attribute edited; "to@addr" edits the attribute of the first <to> child. */
  attr: string;
  label: string;
  options?: string[];
  placeholder?: string;
  /** Written on a new element. */
  initial: string;
}

export interface Section {
  key: string;
  title: string;
  help: string;
  /** The elements listed, in document order. */
  items: (doc: XMLDocument) => Element[];
  fields: (item: Element) => Field[];
  /** New elements the section can add, by button label. */
  adds: { label: string; make: (doc: XMLDocument) => Element }[];
  /** Removes an element, and its container when it was the last. */
  remove: (item: Element) => void;
  label: (item: Element) => string;
}

/** The document, or the parser's message (with its line) when it is not well-formed XML. */
export function parseXml(text: string): { doc: XMLDocument } | { error: string } {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const err = doc.getElementsByTagName("parsererror")[0];
  if (err) return { error: (err.textContent ?? "not well-formed XML").replace(/\s+/g, " ").trim() };
  return { doc };
}

export function serialize(doc: XMLDocument): string {
  let text = new XMLSerializer().serializeToString(doc);
  // the serializer writes the doctype and the root element on one line
  text = text.replace(/^(<!DOCTYPE[^>]*>)(?!\n)/, "$1\n");
  return text.endsWith("\n") ? text : text + "\n";
}

function service(doc: XMLDocument): Element | null {
  return doc.querySelector("safe > service") ?? doc.querySelector("service");
}

/** The child of {@code parent} named {@code tag}, made (and indented) when missing. */
function child(doc: XMLDocument, parent: Element, tag: string, attrs: Record<string, string> = {}, depth = 1): Element {
  for (const c of Array.from(parent.children)) {
    if (c.tagName === tag) return c;
  }
  return append(doc, parent, tag, attrs, depth);
}

function append(doc: XMLDocument, parent: Element, tag: string, attrs: Record<string, string>, depth: number): Element {
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
function removeUp(item: Element, stop: string): void {
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

export function getField(item: Element, attr: string): string {
  const [tag, name] = attr.includes("@") ? attr.split("@") : ["", attr];
  const target = tag ? item.querySelector(tag) : item;
  return target?.getAttribute(name) ?? "";
}

export function setField(doc: XMLDocument, item: Element, attr: string, value: string): void {
  const [tag, name] = attr.includes("@") ? attr.split("@") : ["", attr];
  const target = tag ? (item.querySelector(tag) ?? append(doc, item, tag, {}, 4)) : item;
  if (value === "" && !["addr", "dir", "name", "value", "ident", "port"].includes(name)) target.removeAttribute(name);
  else target.setAttribute(name, value);
}

function defaults(fields: Field[]): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const f of fields) if (!f.attr.includes("@")) attrs[f.attr] = f.initial;
  return attrs;
}

const MACRO_FIELDS: Field[] = [{ attr: "value", label: "Value", initial: "" }];
const VIP_FIELDS: Field[] = [{ attr: "addr", label: "Virtual IP address", placeholder: "192.168.1.100", initial: "" }];
const RFS_FIELDS: Field[] = [
  { attr: "dir", label: "Directory", placeholder: "/var/lib/app", initial: "" },
  { attr: "mode", label: "Mode on the secondary", options: ["read_only", "read_write"], initial: "read_only" },
];
const ERRD_FIELDS: Field[] = [
  { attr: "name", label: "Process (command name)", placeholder: "httpd", initial: "" },
  { attr: "atleast", label: "At least", initial: "1" },
  { attr: "action", label: "Action", options: ["restart", "stopstart", "stop", "noaction"], initial: "restart" },
  { attr: "class", label: "Watched", options: ["prim", "both", "second", "pre"], initial: "prim" },
];
const WHEN = ["pre", "prim", "second", "both"];
const ACTIONS = ["restart", "stopstart", "stop", "wait", "noaction"];
const TCP_FIELDS: Field[] = [
  { attr: "ident", label: "Name", initial: "app" },
  { attr: "when", label: "When", options: WHEN, initial: "prim" },
  { attr: "action", label: "Action", options: ACTIONS, initial: "restart" },
  { attr: "to@addr", label: "Address", placeholder: "127.0.0.1", initial: "127.0.0.1" },
  { attr: "to@port", label: "Port", placeholder: "80", initial: "80" },
];
const PING_FIELDS: Field[] = [
  { attr: "ident", label: "Name", initial: "gateway" },
  { attr: "when", label: "When", options: WHEN, initial: "pre" },
  { attr: "action", label: "Action", options: ACTIONS, initial: "wait" },
  { attr: "to@addr", label: "Address", placeholder: "192.168.1.1", initial: "" },
];

function checker(doc: XMLDocument, tag: string, fields: Field[]): Element {
  const s = service(doc)!;
  const check = child(doc, s, "check", {}, 2);
  const e = append(doc, check, tag, defaults(fields), 3);
  const to: Record<string, string> = {};
  for (const f of fields) if (f.attr.startsWith("to@")) to[f.attr.slice(3)] = f.initial;
  append(doc, e, "to", to, 4);
  return e;
}

/** The sections of the form, for a module of this mode (mirror, farm, light). */
export function sections(mode: string): Section[] {
  const list: Section[] = [
    {
      key: "macros",
      title: "Macros",
      help: "Values used in the file as %NAME%: lans, directories, addresses.",
      items: (doc) => Array.from(doc.querySelectorAll("safe > macro")),
      fields: () => MACRO_FIELDS,
      adds: [],
      remove: () => undefined,
      label: (e) => e.getAttribute("name") ?? "",
    },
    {
      key: "vip",
      title: "Virtual IP",
      help: mode === "farm" ? "The address shared by the farm nodes (spec B.6)." : "An address that follows the primary (spec B.6). Not needed behind a cloud load balancer.",
      items: (doc) => Array.from(service(doc)?.querySelectorAll("vip virtual_addr") ?? []),
      fields: () => VIP_FIELDS,
      adds: [
        {
          label: "New virtual IP",
          make: (doc) => {
            const s = service(doc)!;
            const vip = child(doc, s, "vip", {}, 2);
            const list = child(doc, vip, "interface_list", {}, 3);
            const intf = child(doc, list, "interface", { arpreroute: "on" }, 4);
            const real = mode === "farm" ? child(doc, intf, "virtual_interface", { type: "vmac_directed" }, 5) : child(doc, intf, "real_interface", {}, 5);
            return append(doc, real, "virtual_addr", { addr: "", where: mode === "farm" ? "alias" : "one_side_alias" }, 6);
          },
        },
      ],
      remove: (e) => removeUp(e, "service"),
      label: (e) => e.getAttribute("addr") ?? "",
    },
  ];
  if (mode === "mirror") {
    list.push({
      key: "rfs",
      title: "Replicated directories",
      help: "Directories copied in real time from the primary to the secondary (spec B.7); the same path on both nodes.",
      items: (doc) => Array.from(service(doc)?.querySelectorAll("rfs > replicated") ?? []),
      fields: () => RFS_FIELDS,
      adds: [
        {
          label: "New replicated directory",
          make: (doc) => append(doc, child(doc, service(doc)!, "rfs", { async: "second", nbrei: "6" }, 2), "replicated", defaults(RFS_FIELDS), 3),
        },
      ],
      remove: (e) => removeUp(e, "service"),
      label: (e) => e.getAttribute("dir") ?? "",
    });
  }
  list.push(
    {
      key: "errd",
      title: "Process monitoring",
      help: "Processes watched by errd (spec B.10): when fewer run than required, the action is taken.",
      items: (doc) => Array.from(service(doc)?.querySelectorAll("errd > proc") ?? []),
      fields: () => ERRD_FIELDS,
      adds: [
        {
          label: "New process",
          make: (doc) => append(doc, child(doc, service(doc)!, "errd", { polltimer: "10s" }, 2), "proc", defaults(ERRD_FIELDS), 3),
        },
      ],
      remove: (e) => removeUp(e, "service"),
      label: (e) => e.getAttribute("name") ?? "",
    },
    {
      key: "check",
      title: "Checkers",
      help: "TCP and ping checkers (spec B.12, B.13); the others are edited in the advanced configuration.",
      items: (doc) => Array.from(service(doc)?.querySelectorAll("check > tcp, check > ping") ?? []),
      fields: (e) => (e.tagName === "tcp" ? TCP_FIELDS : PING_FIELDS),
      adds: [
        { label: "New TCP checker", make: (doc) => checker(doc, "tcp", TCP_FIELDS) },
        { label: "New ping checker", make: (doc) => checker(doc, "ping", PING_FIELDS) },
      ],
      remove: (e) => removeUp(e, "service"),
      label: (e) => `${e.tagName} ${e.getAttribute("ident") ?? ""}`,
    },
  );
  return list;
}

/** The module's mode (mirror, farm, light), from <service mode>. */
export function modeOf(doc: XMLDocument): string {
  return service(doc)?.getAttribute("mode") ?? "mirror";
}
