import { describe, expect, it } from "vitest";
import { degraded } from "../src/degraded";

describe("the degraded indication (spec C.1, C.7)", () => {
  it("is there for a primary that runs ALONE, whatever its level", () => {
    expect(degraded("n1", "ALONE Ready", "STOP", "down")?.label).toBe("not replicated: n1 runs alone");
    expect(degraded("n1", "ALONE Transient", "SECOND", undefined)?.tip).toContain("its peer: SECOND");
    expect(degraded("n1", "ALONE Ready", "UNKNOWN")?.tip).toContain("not heard from");
  });

  it("says when the replication failed on the primary (rfs.degraded up)", () => {
    const d = degraded("n2", "ALONE Ready", "WAIT", "up");
    expect(d?.label).toBe("replication failed on n2");
    expect(d?.tip).toContain("stop and start the module on n2");
  });

  it("is not there otherwise", () => {
    for (const s of ["PRIM Ready", "SECOND Ready", "WAIT NotReady", "STOP NotReady", "UP Ready", null]) {
      expect(degraded("n1", s, "SECOND", "up")).toBeNull();
    }
  });
});
