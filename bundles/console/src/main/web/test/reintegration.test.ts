import { describe as suite, expect, it } from "vitest";
import type { Resource } from "../src/api";
import { parseLans, selfName } from "../src/cluster";
import { describe, kb, parseLeft, progress } from "../src/reintegration";

const at = (value: string, i: number): Resource => ({
  name: "rfs.rei_left",
  value,
  setter: "rfs",
  time: new Date(Date.UTC(2026, 11, 5, 10, 0, i)).toISOString(),
});

suite("reintegration progress (rfs.rei_left, rfs.rei_bandwidth)", () => {
  it.each([
    ["12 files, 3400 KB, 7 s", { files: 12, kb: 3400, eta: 7 }],
    ["1 file, 5 KB", { files: 1, kb: 5, eta: null }],
    ["0 files, 0 KB", { files: 0, kb: 0, eta: null }],
    ["0", { files: 0, kb: 0, eta: null }],
    ["whatever", null],
  ])("parses %s", (text, want) => {
    expect(parseLeft(text)).toEqual(want);
  });

  it("the total is the most left since the pass began", () => {
    const history = [
      at("0 files, 0 KB", 0), // the end of an earlier pass
      at("40 files, 1000 KB", 1),
      at("30 files, 800 KB, 8 s", 2),
      at("10 files, 250 KB, 2 s", 3),
    ];
    const p = progress(history, "100")!;
    expect(p.running).toBe(true);
    expect(p.totalKb).toBe(1000);
    expect(p.fraction).toBeCloseTo(0.75);
    expect(describe(p)).toBe("75 %, 10 files and 250 KB left of 1000 KB, 100 KB/s, about 2 s to go");
  });

  it("a pass that ended is complete", () => {
    const p = progress([at("4 files, 10 KB", 0), at("0 files, 0 KB", 1)], "0")!;
    expect(p.running).toBe(false);
    expect(p.fraction).toBe(1);
    expect(describe(p)).toMatch(/No reintegration running/);
  });

  it("without the resource there is no progress", () => {
    expect(progress([], undefined)).toBeNull();
    expect(progress([at("garbage", 0)], undefined)).toBeNull();
  });

  it("sizes read as people read them", () => {
    expect(kb(820)).toBe("820 KB");
    expect(kb(1536)).toBe("1.5 MB");
    expect(kb(3 * 1024 * 1024)).toBe("3.0 GB");
  });
});

suite("the lans of the Information tab", () => {
  const output = [
    "lan default (command)",
    "  n1  127.0.0.244",
    "  n2  127.0.0.245",
    "lan data",
    "  n1  10.0.0.1",
    "  n2  10.0.0.2",
  ].join("\n");

  it("lists every lan with its nodes", () => {
    expect(parseLans(output)).toEqual([
      { name: "default", command: true, nodes: [{ name: "n1", addr: "127.0.0.244" }, { name: "n2", addr: "127.0.0.245" }] },
      { name: "data", command: false, nodes: [{ name: "n1", addr: "10.0.0.1" }, { name: "n2", addr: "10.0.0.2" }] },
    ]);
  });

  it("names this node by its address, else by its host name", () => {
    const nodes = parseLans(output)[0].nodes;
    expect(selfName(nodes, "127.0.0.245", "host")).toBe("n2");
    expect(selfName(nodes, "127.0.0.9", "host")).toBe("host");
  });
});
