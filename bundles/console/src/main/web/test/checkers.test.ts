// @vitest-environment jsdom
// The checkers of the module wizard's forms (spec B.11–B.18): the XML each one writes, the
// server's words for a value it would refuse, and the forms' defaults against the XSD's.
import { describe, expect, it } from "vitest";
import xsdText from "../../../../../../config/xsd/userconfig.xsd?raw";
import { CHECKER_TAGS, type CheckerTag, checkerFields, checkerSection, makeChecker } from "../src/checkers";
import { addressProblem, timeProblem, valueProblem } from "../src/field-check";
import { applyRefusal, stateLabel } from "../src/node-states";
import { fieldProblem, parseXml, serialize, setField } from "../src/userconfig";

const EMPTY = (mode: string) => `<!DOCTYPE safe>\n<safe>\n  <service mode="${mode}">\n  </service>\n</safe>\n`;

function doc(text: string): XMLDocument {
  const parsed = parseXml(text);
  if ("error" in parsed) throw new Error(parsed.error);
  return parsed.doc;
}

function within(checker: string[]): string {
  return ["<!DOCTYPE safe>", "<safe>", '  <service mode="mirror">', "    <check>", ...checker.map((l) => "      " + l), "    </check>", "  </service>", "</safe>", ""].join("\n");
}

describe("a new checker in userconfig.xml (spec B.12–B.18)", () => {
  it.each<[CheckerTag, string[]]>([
    ["tcp", ['<tcp ident="app" when="prim" action="restart">', '  <to addr="127.0.0.1" port="80" interval="10s" timeout="5s"/>', "</tcp>"]],
    ["ping", ['<ping ident="gateway" when="pre" action="wait">', '  <to addr="" interval="10s" timeout="5s"/>', "</ping>"]],
    ["intf", ['<intf ident="lan">', '  <to local_addr=""/>', "</intf>"]],
    ["ip", ['<ip ident="vip" when="prim">', '  <to addr="" interval="10s"/>', "</ip>"]],
    ["custom", ['<custom ident="app" when="prim" exec="" action="noaction"/>']],
    ["module", ['<module name="">', '  <to addr="127.0.0.1" port="9010" interval="10s" timeout="5s" secure="off"/>', "</module>"]],
    ["splitbrain", ['<splitbrain ident="witness" arg="" exec="ping"/>']],
  ])("writes <%s> with its required attributes and defaults, indented", (tag, lines) => {
    const d = doc(EMPTY("mirror"));
    makeChecker(d, tag, "mirror");
    expect(serialize(d)).toBe(within(lines));
  });

  it("fills a checker from its fields: an interface checker on loopback, a module checker on another module", () => {
    const d = doc(EMPTY("mirror"));
    const intf = makeChecker(d, "intf", "mirror");
    const fields = checkerFields("intf", "mirror");
    setField(d, intf, fields[0], "lo");
    setField(d, intf, fields[1], "127.0.0.1");
    const module = makeChecker(d, "module", "mirror");
    const [name, ident, , port, interval] = checkerFields("module", "mirror");
    setField(d, module, name, "database");
    setField(d, module, ident, "");
    setField(d, module, port, "9453");
    setField(d, module, interval, "");
    expect(serialize(d)).toBe(
      within([
        '<intf ident="lo">',
        '  <to local_addr="127.0.0.1"/>',
        "</intf>",
        '<module name="database">',
        '  <to addr="127.0.0.1" port="9453" timeout="5s" secure="off"/>',
        "</module>",
      ]),
    );
  });

  it("offers a farm's when values and no split brain checker, and a mirror's one split brain checker only", () => {
    expect(checkerFields("tcp", "farm").find((f) => f.attr === "when")).toMatchObject({ initial: "both", options: ["pre", "both"] });
    expect(checkerFields("tcp", "mirror").find((f) => f.attr === "when")).toMatchObject({ initial: "prim", options: ["pre", "prim", "second"] });
    expect(checkerSection("farm").adds.map((a) => a.label)).not.toContain("New split brain checker");
    const d = doc(EMPTY("mirror"));
    const split = checkerSection("mirror").adds.find((a) => a.label === "New split brain checker")!;
    expect(split.when!(d)).toBe(true);
    split.make(d);
    expect(split.when!(d)).toBe(false);
  });

  it("lists the checkers of an existing file in document order", () => {
    const d = doc(within(['<ping ident="gw" when="pre"><to addr="10.0.0.1"/></ping>', '<custom ident="c" when="prim" exec="x"/>', '<intf ident="i"><to local_addr="10.0.0.2"/></intf>']));
    expect(checkerSection("mirror").items(d).map((e) => e.tagName)).toEqual(["ping", "custom", "intf"]);
  });
});

describe("a field refused with the server's words (bundles/config Values, TimeValue, Addresses)", () => {
  const intf = () => makeChecker(doc(EMPTY("mirror")), "intf", "mirror");
  it.each([
    ["an empty required name", "tcp", "ident", "", "empty value for attribute 'ident' of <tcp>"],
    ["a port out of range", "tcp", "to@port", "70000", "invalid value '70000' for attribute 'port' of <to>; expected an integer between 1 and 65535"],
    ["a port that is no number", "module", "to@port", "http", "invalid value 'http' for attribute 'port' of <to>; expected an integer between 1 and 65535"],
    ["a time with a wrong unit", "ping", "to@interval", "10 s", "invalid value '10 s' for the attribute interval; expected a number with an optional unit d, h, m, s, ms or us (implicit unit: 's')"],
    ["a time rounded to 0", "tcp", "to@timeout", "400ms", "invalid value '400ms' for the attribute timeout (expected time unit: 's')"],
    ["a mistyped IPv4 address", "intf", "to@local_addr", "127.0.0.256", "'127.0.0.256' is not a valid IPv4 address"],
    ["an address with a space", "ip", "to@addr", "10.0.0 .1", "'10.0.0 .1' is not a valid IPv4, IPv6 address or DNS name"],
    ["a bad witness", "splitbrain", "arg", "10.0.0.1 10.0.0.999", "witness '10.0.0.999' is not a valid IPv4 address"],
    ["an empty program", "custom", "exec", "", "empty value for attribute 'exec' of <custom>"],
  ])("%s", (_what, tag, attr, value, message) => {
    const d = doc(EMPTY("mirror"));
    const item = makeChecker(d, tag as CheckerTag, "mirror");
    const field = checkerFields(tag as CheckerTag, "mirror").find((f) => f.attr === attr)!;
    expect(fieldProblem(item, field, value)).toBe(message);
  });

  it("a tcp checker's action that its when does not allow (spec B.12)", () => {
    const d = doc(EMPTY("mirror"));
    const tcp = makeChecker(d, "tcp", "mirror");
    const fields = checkerFields("tcp", "mirror");
    const action = fields.find((f) => f.attr === "action")!;
    expect(fieldProblem(tcp, action, "restart")).toBeNull();
    setField(d, tcp, fields.find((f) => f.attr === "when")!, "pre");
    expect(fieldProblem(tcp, action, "restart")).toBe('action \'restart\' is not allowed with when="pre"; expected one of: wait, noaction');
    expect(fieldProblem(tcp, action, "wait")).toBeNull();
  });

  it("offers an IP checker of a mirror prim only (the server refuses both there)", () => {
    expect(checkerFields("ip", "mirror").find((f) => f.attr === "when")!.options).toEqual(["prim"]);
    expect(checkerFields("ip", "farm").find((f) => f.attr === "when")!.options).toEqual(["both", "prim"]);
  });

  it("accepts what the server accepts", () => {
    const item = intf();
    const local = checkerFields("intf", "mirror")[1];
    for (const ok of ["127.0.0.1", "::1", "[fe80::1%eth0]", "node1.example", "%LOCAL_ADDR%"]) expect(fieldProblem(item, local, ok)).toBeNull();
    expect(timeProblem("500ms", "ms", "period")).toBeNull();
    expect(timeProblem("1500ms", "s", "interval")).toBeNull();
    expect(timeProblem("0ms", "s", "interval")).toBeNull();
    expect(timeProblem("500ms", "s", "interval")).toContain("expected time unit: 's'");
    expect(timeProblem("99999999999999999999", "s", "interval")).toBe("invalid value '99999999999999999999' for the attribute interval (too large)");
    expect(valueProblem({ kind: "port" }, "", "port", "to")).toBeNull();
    expect(addressProblem("1::2::3")).toBe("'1::2::3' is not a valid IPv4, IPv6 address or DNS name");
  });

  it("removes an emptied optional attribute, so that its default applies, and keeps an emptied required one", () => {
    const d = doc(EMPTY("mirror"));
    const tcp = makeChecker(d, "tcp", "mirror");
    const fields = checkerFields("tcp", "mirror");
    setField(d, tcp, fields.find((f) => f.attr === "to@interval")!, "");
    setField(d, tcp, fields.find((f) => f.attr === "to@port")!, "");
    expect(serialize(d)).toContain('<to addr="127.0.0.1" port="" timeout="5s"/>');
  });
});

describe("the forms' defaults are the XSD's (config/xsd/userconfig.xsd)", () => {
  const xsd = doc(xsdText);
  const XS = "http://www.w3.org/2001/XMLSchema";
  const byName = (kind: string, name: string) => Array.from(xsd.getElementsByTagNameNS(XS, kind)).find((e) => e.getAttribute("name") === name)!;
  const typeOf = (parent: Element, element: string) =>
    Array.from(parent.getElementsByTagNameNS(XS, "element")).find((e) => e.getAttribute("name") === element)!.getAttribute("type")!;
  const attribute = (type: string, name: string) =>
    Array.from(byName("complexType", type).children).find((e) => e.localName === "attribute" && e.getAttribute("name") === name);

  it.each(CHECKER_TAGS.map((t) => [t]))("<%s>: every field's attribute exists, required as the XSD says, with its default", (tag) => {
    const type = typeOf(byName("complexType", "checkType"), tag);
    let checked = 0;
    for (const f of checkerFields(tag, "mirror")) {
      const [owner, name] = f.attr.startsWith("to@") ? [typeOf(byName("complexType", type), "to"), f.attr.slice(3)] : [type, f.attr];
      const decl = attribute(owner, name);
      expect(decl, `${tag} ${f.attr}`).toBeDefined();
      const required = decl!.getAttribute("use") === "required";
      expect(Boolean(f.rule?.required), `${tag} ${f.attr} required`).toBe(required);
      const fixed = decl!.getAttribute("default");
      if (fixed !== null) {
        expect(f.initial, `${tag} ${f.attr} default`).toBe(fixed);
        checked++;
      }
      const unit = decl!.getAttributeNS("urn:bulwark:config:1", "unit");
      if (unit) expect(f.rule, `${tag} ${f.attr} unit`).toMatchObject({ kind: "time", unit });
      const values = Array.from(decl!.getElementsByTagNameNS(XS, "enumeration")).map((e) => e.getAttribute("value"));
      for (const o of f.options ?? []) expect(values.length === 0 || values.includes(o), `${tag} ${f.attr} option ${o}`).toBe(true);
    }
    if (tag === "tcp" || tag === "module") expect(checked).toBeGreaterThan(2);
  });

  it("<ip when>: the computed default of the XSD, prim for a mirror and both for a farm", () => {
    expect(attribute("ipType", "when")!.getAttributeNS("urn:bulwark:config:1", "default")).toBe("prim (mirror), both (farm)");
    expect(checkerFields("ip", "mirror").find((f) => f.attr === "when")!.initial).toBe("prim");
    expect(checkerFields("ip", "farm").find((f) => f.attr === "when")!.initial).toBe("both");
  });
});

describe("Save and apply only where the module is STOP (spec B.0, G.4)", () => {
  it.each([
    [{ state: "STOP", readiness: "NotReady" }, null, "STOP"],
    [{ state: null }, null, "not configured"],
    [{ state: "ALONE", readiness: "Ready" }, "is ALONE (Ready), not STOP: stop the module there to apply its configuration", "ALONE"],
    [{ state: "WAIT", readiness: "NotReady" }, "is WAIT (NotReady), not STOP: stop the module there to apply its configuration", "WAIT"],
    [{ error: "connection refused" }, "is unreachable: connection refused", "unreachable"],
  ])("%o", (state, refusal, label) => {
    expect(applyRefusal(state)).toBe(refusal);
    expect(stateLabel(state)).toBe(label);
  });
});
