// Reintegration progress of a mirror module (spec C.4, B.20): the replication publishes what is left
// in rfs.rei_left ("12 files, 3400 KB, 7 s": the ETA only once a rate is known) and the rate in
// rfs.rei_bandwidth (KB/s). The total is not published: it is the most left since the pass began,
// read from the resource's history (the value drops to "0 files, 0 KB" when a reintegration ends).
import type { Resource } from "./api";

export interface Left {
  files: number;
  kb: number;
  /** Seconds to go, when the rate is known. */
  eta: number | null;
}

export interface Progress {
  left: Left;
  /** Done, from 0 to 1. */
  fraction: number;
  /** KB/s, when published. */
  rate: number | null;
  /** KB of the pass so far (the most left seen). */
  totalKb: number;
  running: boolean;
}

/** Parses rfs.rei_left; null for a value it does not know. */
export function parseLeft(value: string | undefined | null): Left | null {
  if (value === undefined || value === null) return null;
  const v = value.trim();
  if (v === "0" || v === "") return { files: 0, kb: 0, eta: null };
  const m = /^(\d+) files?, (\d+) KB(?:, (\d+) s)?$/.exec(v);
  if (!m) return null;
  return { files: Number(m[1]), kb: Number(m[2]), eta: m[3] === undefined ? null : Number(m[3]) };
}

/**
 * The progress of the current (or last) reintegration from the history of rfs.rei_left (oldest
 * first) and the current rate; null when the module publishes no reintegration.
 */
export function progress(history: Resource[], bandwidth: string | undefined): Progress | null {
  const lefts = history.map((r) => parseLeft(r.value));
  const last = lefts.length ? lefts[lefts.length - 1] : null;
  if (!last) return null;
  // the pass began after the last value with nothing left before the current one
  let start = lefts.length - 1;
  while (start > 0 && lefts[start - 1] && !(lefts[start - 1]!.files === 0 && lefts[start - 1]!.kb === 0)) {
    start--;
  }
  let totalKb = 0;
  let totalFiles = 0;
  for (let i = start; i < lefts.length; i++) {
    totalKb = Math.max(totalKb, lefts[i]?.kb ?? 0);
    totalFiles = Math.max(totalFiles, lefts[i]?.files ?? 0);
  }
  const running = last.files > 0 || last.kb > 0;
  let fraction = 1;
  if (running) {
    fraction = totalKb > 0 ? 1 - last.kb / totalKb : totalFiles > 0 ? 1 - last.files / totalFiles : 0;
  }
  const rate = bandwidth === undefined || bandwidth === "" || Number.isNaN(Number(bandwidth)) ? null : Number(bandwidth);
  return { left: last, fraction: Math.min(1, Math.max(0, fraction)), rate, totalKb, running };
}

/** "1.5 MB", "820 KB". */
export function kb(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} GB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} MB`;
  return `${n} KB`;
}

/** The line under the progress bar. */
export function describe(p: Progress): string {
  if (!p.running) return "No reintegration running: the last one ended.";
  const parts = [`${Math.round(p.fraction * 100)} %`, `${p.left.files} files and ${kb(p.left.kb)} left of ${kb(p.totalKb)}`];
  if (p.rate !== null) parts.push(`${kb(p.rate)}/s`);
  if (p.left.eta !== null) parts.push(`about ${p.left.eta} s to go`);
  return parts.join(", ");
}
