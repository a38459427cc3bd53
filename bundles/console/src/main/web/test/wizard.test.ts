import { describe, expect, it } from "vitest";
import { type ClusterModel, clusterXml, fieldId, nodeOfServer, validateCluster } from "../src/cluster-config";
import { mayConfigure, parseLineErrors } from "../src/wizard-common";

const two: ClusterModel = {
  lans: [
    { name: "default", command: true },
    { name: "backup", command: false },
  ],
  nodes: [
    { name: "node1", addrs: ["10.0.0.1", "192.168.0.1"] },
    { name: "node2", addrs: ["10.0.0.2", "192.168.0.2"] },
  ],
};

describe("the cluster wizard's cluster.xml (spec A.3, B.1)", () => {
  it("has every node on every lan with its address there, the command lan marked", () => {
    expect(clusterXml(two)).toBe(
      [
        "<cluster>",
        "  <lans>",
        '    <lan name="default" command="on">',
        '      <node name="node1" addr="10.0.0.1"/>',
        '      <node name="node2" addr="10.0.0.2"/>',
        "    </lan>",
        '    <lan name="backup">',
        '      <node name="node1" addr="192.168.0.1"/>',
        '      <node name="node2" addr="192.168.0.2"/>',
        "    </lan>",
        "  </lans>",
        "</cluster>",
        "",
      ].join("\n"),
    );
  });

  it("escapes what would break the XML", () => {
    expect(clusterXml({ lans: [{ name: 'a"<', command: true }], nodes: [] })).toContain('name="a&quot;&lt;"');
  });

  it("accepts a correct model", () => {
    expect(validateCluster(two).size).toBe(0);
  });

  it.each([
    ["a missing address", (m: ClusterModel) => (m.nodes[1].addrs[0] = ""), fieldId.addr(1, 0), "is missing"],
    ["an address with a space", (m: ClusterModel) => (m.nodes[0].addrs[1] = "10.0.0 .1"), fieldId.addr(0, 1), "not an IP address"],
    ["the same address twice on a lan", (m: ClusterModel) => (m.nodes[1].addrs[0] = "10.0.0.1"), fieldId.addr(1, 0), "already the address of node1"],
    ["the same node name twice", (m: ClusterModel) => (m.nodes[1].name = "node1"), fieldId.node(1), "already named"],
    ["a node without a name", (m: ClusterModel) => (m.nodes[0].name = ""), fieldId.node(0), "needs a name"],
    ["a lan name with a slash", (m: ClusterModel) => (m.lans[1].name = "a/b"), fieldId.lan(1), "letters, digits"],
  ])("puts %s at its field", (_what, change, field, text) => {
    const m = structuredClone(two);
    change(m);
    const errors = validateCluster(m);
    expect(errors.size).toBe(1);
    expect(errors.get(field)).toContain(text);
  });

  it("names a server of the result by its node", () => {
    expect(nodeOfServer(two, "http://10.0.0.2:9010")).toBe("node2 (10.0.0.2)");
    expect(nodeOfServer(two, "http://10.9.9.9:9010")).toBe("http://10.9.9.9:9010");
  });
});

describe("errors at their line", () => {
  it("reads confcheck's file:line:column lines, with the file's own name", () => {
    const out = [
      "/opt/safekit/modules/m/conf/userconfig.xml:12:5: /safe/service/rfs/@async: 'later' is not one of first, second (did you mean 'second'?)",
      "userconfig.xml:3:1: /safe: a second <service>",
      "something else",
    ].join("\n");
    expect(parseLineErrors(out)).toEqual([
      { file: "userconfig.xml", line: 12, column: 5, message: "/safe/service/rfs/@async: 'later' is not one of first, second (did you mean 'second'?)" },
      { file: "userconfig.xml", line: 3, column: 1, message: "/safe: a second <service>" },
    ]);
  });

  it("leaves configuring to Admin", () => {
    expect(mayConfigure("Admin")).toBe(true);
    expect(mayConfigure("Control")).toBe(false);
    expect(mayConfigure("Monitor")).toBe(false);
    expect(mayConfigure(null)).toBe(false);
  });
});
