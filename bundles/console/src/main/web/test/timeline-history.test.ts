import { describe, expect, it } from "vitest";
import { samplesOf, withLive } from "../src/timeline-history";

const t = (s: number) => new Date(Date.UTC(2026, 11, 5, 10, 0, s)).toISOString();

describe("the states timeline kept by the node (spec G.4)", () => {
  it("turns the API's changes, newest first, into samples oldest first with both sides", () => {
    const changes = [
      { time: t(30), side: "local" as const, state: "ALONE" },
      { time: t(29), side: "remote" as const, state: "STOP" },
      { time: t(10), side: "remote" as const, state: "SECOND" },
      { time: t(5), side: "local" as const, state: "PRIM" },
      { time: t(5), side: "remote" as const, state: "UNKNOWN" },
      { time: t(1), side: "local" as const, state: "WAIT" },
      { time: "not a time", side: "local" as const, state: "STOP" },
    ];
    const s = samplesOf(changes);
    const at = (n: number) => Date.parse(t(n)) / 1000;
    expect(s).toEqual([
      { t: at(1), local: 1, remote: null },
      { t: at(5), local: 3, remote: null }, // two changes at one time: one sample
      { t: at(10), local: 3, remote: 4 },
      { t: at(29), local: 3, remote: 0 },
      { t: at(30), local: 2, remote: 0 },
    ]);
    expect(samplesOf([])).toEqual([]);
  });

  it("is continued by the live samples that came after its newest change", () => {
    const kept = [
      { t: 100, local: 3, remote: 4 },
      { t: 200, local: 2, remote: 0 },
    ];
    const live = [
      { t: 50, local: 1, remote: null },
      { t: 200, local: 2, remote: 0 },
      { t: 250, local: 3, remote: 1 },
    ];
    expect(withLive(kept, live).map((x) => x.t)).toEqual([100, 200, 250]);
    expect(withLive([], live)).toBe(live);
  });
});
