import { describe, expect, it } from "vitest";
import { parseClusterState, selfAndPeer } from "../src/cluster";
import { ACTIONS, colourClass, mayAct, parseState, stateCode } from "../src/states";

describe("states and colours (spec C.1)", () => {
  it.each([
    ["PRIM Ready", "PRIM", "Ready", "st-green"],
    ["SECOND Transient", "SECOND", "Transient", "st-orange"],
    ["STOP NotReady", "STOP", "NotReady", "st-red"],
    ["WAIT NotReady", "WAIT", "NotReady", "st-red"],
    ["UP Ready", "UP", "Ready", "st-green"],
    ["NOT CONFIGURED", "NOT CONFIGURED", "Unknown", "st-grey"],
    ["STOP", "STOP", "NotReady", "st-red"],
    ["SECOND", "SECOND", "Unknown", "st-unknown"],
    ["ERROR", "ERROR", "NotReady", "st-red"],
  ])("%s is %s, %s, coloured %s", (text, name, level, colour) => {
    const s = parseState(text);
    expect(s).toEqual({ name, level });
    expect(colourClass(s)).toBe(colour);
  });

  it("has no state for an absent one", () => {
    expect(parseState(undefined)).toBeNull();
    expect(parseState("")).toBeNull();
    expect(colourClass(null)).toBe("st-none");
  });

  it("codes states as safekit state -lq does", () => {
    expect(["STOP", "WAIT", "ALONE", "UP", "PRIM", "SECOND"].map((n) => stateCode({ name: n, level: "Ready" }))).toEqual([0, 1, 2, 2, 3, 4]);
    expect(stateCode({ name: "UNKNOWN", level: "Unknown" })).toBeNull();
  });
});

describe("roles (spec G.2)", () => {
  it("lets Control and Admin act, not Monitor nor an unknown role", () => {
    expect(mayAct("Admin")).toBe(true);
    expect(mayAct("Control")).toBe(true);
    expect(mayAct("Monitor")).toBe(false);
    expect(mayAct(null)).toBe(false);
  });

  it("offers the control verbs of spec F.3", () => {
    expect(new Set(ACTIONS.map((a) => a.verb))).toEqual(
      new Set(["start", "stop", "restart", "swap", "prim", "second", "stopstart", "forcestop"]),
    );
  });
});

describe("cluster state", () => {
  const output = [
    "lan data",
    "  n1                   10.0.0.1",
    "  n2                   10.0.0.2",
    "lan default (command)",
    "  n1                   127.0.0.210",
    "  n2                   127.0.0.211 (local 127.0.0.1)",
    "",
  ].join("\n");

  it("takes the command lan's nodes", () => {
    expect(parseClusterState(output)).toEqual([
      { name: "n1", addr: "127.0.0.210" },
      { name: "n2", addr: "127.0.0.211" },
    ]);
  });

  it("names this node and its one peer", () => {
    const nodes = parseClusterState(output);
    expect(selfAndPeer(nodes, "127.0.0.211")).toEqual({ self: nodes[1], peer: nodes[0] });
    expect(selfAndPeer(nodes, "127.0.0.9")).toEqual({ self: null, peer: null });
    expect(parseClusterState("n1: no cluster configuration applied")).toEqual([]);
  });
});
