// userconfig.xml as the module wizard's forms edit it (spec B.2–B.18): the document is parsed by the
// browser and the forms change it in place, so that what they do not show (comments, heart,
// failover rules …) is kept as written. Each list the forms show is described here: where its
// elements are, the attributes each field edits, and how a new one is made (the checkers' in
// checkers.ts, the editing itself in xml-edit.ts).
import { checkerSection } from "./checkers";
import { type Field, type Section, append, child, defaults, removeUp, service } from "./xml-edit";

export { type Field, type Section, fieldProblem, getField, setField } from "./xml-edit";

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

const MACRO_FIELDS: Field[] = [{ attr: "value", label: "Value", initial: "", rule: { kind: "text", required: true } }];
const VIP_FIELDS: Field[] = [{ attr: "addr", label: "Virtual IP address", placeholder: "192.168.1.100", initial: "", rule: { kind: "name", required: true } }];
const RFS_FIELDS: Field[] = [
  { attr: "dir", label: "Directory", placeholder: "/var/lib/app", initial: "", rule: { kind: "name", required: true } },
  { attr: "mode", label: "Mode on the secondary", options: ["read_only", "read_write"], initial: "read_only" },
];
const ERRD_FIELDS: Field[] = [
  { attr: "name", label: "Process (command name)", placeholder: "httpd", initial: "", rule: { kind: "name", required: true } },
  { attr: "atleast", label: "At least", initial: "1" },
  { attr: "action", label: "Action", options: ["restart", "stopstart", "stop", "noaction"], initial: "restart" },
  { attr: "class", label: "Watched", options: ["prim", "both", "second", "pre"], initial: "prim" },
];
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
    checkerSection(mode),
  );
  return list;
}

/** The module's mode (mirror, farm, light), from <service mode>. */
export function modeOf(doc: XMLDocument): string {
  return service(doc)?.getAttribute("mode") ?? "mirror";
}
