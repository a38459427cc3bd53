// The states timeline kept by the node (GET …/modules/AM/timeline, spec G.4: newest first), as the
// chart's samples (oldest first), continued by the states the server push brought since.
import { parseState, stateCode } from "./states";
import type { Sample } from "./timeline";

/** One change of the API's timeline. */
export interface TimelineChange {
  time: string;
  side: "local" | "remote";
  state: string;
}

/**
 * The samples of {@code changes} (newest first, as the API gives them), oldest first: each change
 * is a sample with both sides' states at that moment (a side not changed yet is unknown: null).
 * Changes with a time that does not parse are left out.
 */
export function samplesOf(changes: TimelineChange[]): Sample[] {
  const samples: Sample[] = [];
  let local: number | null = null;
  let remote: number | null = null;
  const oldestFirst = changes
    .map((c) => ({ c, t: Date.parse(c.time) / 1000 }))
    .filter((x) => Number.isFinite(x.t))
    .reverse();
  for (const { c, t } of oldestFirst) {
    const code = stateCode(parseState(c.state));
    if (c.side === "local") local = code;
    else remote = code;
    const last = samples[samples.length - 1];
    if (last && last.t === t) {
      last.local = local;
      last.remote = remote;
    } else {
      samples.push({ t, local, remote });
    }
  }
  return samples;
}

/**
 * The node's timeline continued by the live samples (server push) that came after its newest
 * change; the live ones alone when the node's timeline is empty.
 */
export function withLive(kept: Sample[], live: Sample[]): Sample[] {
  if (kept.length === 0) return live;
  const newest = kept[kept.length - 1].t;
  return [...kept, ...live.filter((s) => s.t > newest)];
}
