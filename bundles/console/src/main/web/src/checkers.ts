// The checkers of the module wizard's forms (spec B.11–B.18): one list of fields per checker,
// with the attributes, defaults and types of config/xsd/userconfig.xsd (a unit test compares
// them), and the "when" values that the module's mode allows (bundles/config CheckBuilder).
import { type Field, type Section, append, child, defaults, removeUp, service, toDefaults } from "./xml-edit";

export const CHECKER_TAGS = ["tcp", "ping", "intf", "ip", "custom", "module", "splitbrain"] as const;
export type CheckerTag = (typeof CHECKER_TAGS)[number];

const TITLES: Record<CheckerTag, string> = {
  tcp: "TCP checker",
  ping: "Ping checker",
  intf: "Interface checker",
  ip: "IP checker",
  custom: "Custom checker",
  module: "Module checker",
  splitbrain: "Split brain checker",
};

const ACTIONS = ["restart", "stopstart", "stop", "wait", "noaction"];
const IDENT = (initial: string): Field => ({ attr: "ident", label: "Name", initial, rule: { kind: "name", required: true } });
const INTERVAL: Field = { attr: "to@interval", label: "Interval", placeholder: "10s", initial: "10s", rule: { kind: "time", unit: "s" } };
const TIMEOUT: Field = { attr: "to@timeout", label: "Timeout", placeholder: "5s", initial: "5s", rule: { kind: "time", unit: "s" } };

/** A tcp checker's action suits its when (spec B.12, CheckBuilder.tcp): the server's message. */
function tcpActionProblem(item: Element, value: string): string | null {
  const when = item.getAttribute("when");
  if (!when) return null;
  const action = value || "restart";
  const allowed = when === "pre" ? ["wait", "noaction"] : ["stop", "stopstart", "restart", "noaction"];
  return allowed.includes(action) ? null : `action '${action}' is not allowed with when="${when}"; expected one of: ${allowed.join(", ")}`;
}

/** A mirror runs prim and second checkers, a farm or light module both (CheckBuilder.when). */
function whenOptions(mode: string): string[] {
  return mode === "mirror" ? ["pre", "prim", "second"] : ["pre", "both"];
}

/** The fields of a checker of a module of this mode. */
export function checkerFields(tag: CheckerTag, mode: string): Field[] {
  const when = (initial: string): Field => ({ attr: "when", label: "When", options: whenOptions(mode), initial, rule: { kind: "name", required: true } });
  const running = mode === "mirror" ? "prim" : "both";
  switch (tag) {
    case "tcp":
      return [
        IDENT("app"),
        when(running),
        { attr: "action", label: "Action", options: ACTIONS, initial: "restart", relation: tcpActionProblem },
        { attr: "to@addr", label: "Address", placeholder: "127.0.0.1", initial: "127.0.0.1", rule: { kind: "address", required: true } },
        { attr: "to@port", label: "Port", placeholder: "80", initial: "80", rule: { kind: "port", required: true } },
        INTERVAL,
        TIMEOUT,
      ];
    case "ping":
      return [
        IDENT("gateway"),
        { ...when("pre"), rule: undefined },
        { attr: "action", label: "Action", options: ACTIONS, initial: "wait" },
        { attr: "to@addr", label: "Address", placeholder: "192.168.1.1", initial: "", rule: { kind: "address", required: true } },
        INTERVAL,
        TIMEOUT,
      ];
    case "intf":
      // when is always pre; the rule interface_failure waits (spec B.14)
      return [
        IDENT("lan"),
        { attr: "to@local_addr", label: "Local address on the interface", placeholder: "192.168.1.10", initial: "", rule: { kind: "address", required: true } },
      ];
    case "ip":
      // the rule ip_failure stops and starts the module (spec B.15)
      return [
        IDENT("vip"),
        // a mirror refuses both; a farm may check an address on prim too (CheckBuilder.when)
        { attr: "when", label: "When", options: mode === "mirror" ? ["prim"] : ["both", "prim"], initial: running },
        { attr: "to@addr", label: "Address that must stay configured", placeholder: "192.168.1.100", initial: "", rule: { kind: "address", required: true } },
        INTERVAL,
      ];
    case "custom":
      return [
        IDENT("app"),
        when(running),
        { attr: "exec", label: "Program (in the module's bin)", placeholder: "appcheck", initial: "", rule: { kind: "name", required: true } },
        { attr: "arg", label: "Arguments", initial: "", rule: { kind: "text" } },
        { attr: "action", label: "Action", options: ACTIONS, initial: "noaction" },
      ];
    case "module":
      // the rule module_failure waits while the other module is not ready (spec B.17)
      return [
        { attr: "name", label: "Module depended on", placeholder: "database", initial: "", rule: { kind: "name", required: true } },
        { attr: "ident", label: "Name", placeholder: "NAME_ADDR", initial: "", rule: { kind: "name" } },
        { attr: "to@addr", label: "Its node's address", placeholder: "127.0.0.1", initial: "127.0.0.1", rule: { kind: "address" } },
        { attr: "to@port", label: "Its web service port", placeholder: "9010", initial: "9010", rule: { kind: "port" } },
        INTERVAL,
        TIMEOUT,
        { attr: "to@secure", label: "HTTPS", options: ["off", "on"], initial: "off" },
      ];
    case "splitbrain":
      // exec is always ping; the rule splitbrain_failure waits (spec B.18)
      return [
        IDENT("witness"),
        { attr: "arg", label: "Witnesses (addresses separated by spaces)", placeholder: "192.168.1.1", initial: "", rule: { kind: "witnesses", required: true } },
      ];
  }
}

/** A new checker at the end of <check>, with its fields' initial values. */
export function makeChecker(doc: XMLDocument, tag: CheckerTag, mode: string): Element {
  const fields = checkerFields(tag, mode);
  const check = child(doc, service(doc)!, "check", {}, 2);
  const attrs = defaults(fields);
  if (tag === "splitbrain") attrs.exec = "ping";
  const e = append(doc, check, tag, attrs, 3);
  const to = toDefaults(fields);
  if (to) append(doc, e, "to", to, 4);
  return e;
}

function checkers(doc: XMLDocument, tag?: string): Element[] {
  return Array.from(service(doc)?.querySelectorAll(CHECKER_TAGS.map((t) => `check > ${tag ?? t}`).join(", ")) ?? []);
}

/** The form's section of the checkers: every kind, splitbrain for a mirror and once only. */
export function checkerSection(mode: string): Section {
  const tags = CHECKER_TAGS.filter((t) => t !== "splitbrain" || mode === "mirror");
  return {
    key: "check",
    title: "Checkers",
    help: "Each checker sets its resource up or down; its failover rule acts when it is down (spec B.11–B.18). Times take a unit: 10s, 500ms, 1m.",
    items: (doc) => checkers(doc),
    fields: (e) => checkerFields(e.tagName as CheckerTag, mode),
    adds: tags.map((t) => ({
      label: `New ${TITLES[t].toLowerCase()}`,
      make: (doc: XMLDocument) => makeChecker(doc, t, mode),
      when: t === "splitbrain" ? (doc: XMLDocument) => checkers(doc, "splitbrain").length === 0 : undefined,
    })),
    remove: (e) => removeUp(e, "service"),
    label: (e) => `${e.tagName} ${e.getAttribute("ident") ?? e.getAttribute("name") ?? ""}`,
    kind: (e) => TITLES[e.tagName as CheckerTag] ?? e.tagName,
  };
}
