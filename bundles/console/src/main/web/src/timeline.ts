// The states timeline of one module on one node (uPlot, spec G.4): the node's local state and its
// peer's, as the codes of `safekit state -lq`, from the timeline the node keeps (GET …/timeline),
// continued by the server push; and the changes as a list, newest first.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { clear, h } from "./dom";
import { CODE_NAMES } from "./states";
import type { TimelineChange } from "./timeline-history";

/** Changes listed under the chart at most. */
const LISTED = 50;

export interface Sample {
  t: number; // seconds since the epoch
  local: number | null;
  remote: number | null;
}

export function drawTimeline(
  into: HTMLElement,
  samples: Sample[],
  localLabel: string,
  remoteLabel: string,
): uPlot | null {
  if (samples.length === 0) {
    return null;
  }
  // a step chart reaching now, so that the current state has a width
  const now = Date.now() / 1000;
  const last = samples[samples.length - 1];
  const points = [...samples, { t: Math.max(now, last.t), local: last.local, remote: last.remote }];
  const data: uPlot.AlignedData = [
    points.map((p) => p.t),
    points.map((p) => p.local),
    points.map((p) => p.remote),
  ];
  const width = Math.max(280, into.clientWidth || 600);
  const opts: uPlot.Options = {
    width,
    height: 180,
    series: [
      {},
      { label: localLabel, stroke: "#1e7b34", width: 2, paths: uPlot.paths.stepped!({ align: 1 }) },
      { label: remoteLabel, stroke: "#c05800", width: 2, dash: [6, 4], paths: uPlot.paths.stepped!({ align: 1 }) },
    ],
    scales: { y: { range: [-0.5, 4.5] } },
    axes: [
      {},
      {
        splits: () => [0, 1, 2, 3, 4],
        values: (_u, splits) => splits.map((s) => CODE_NAMES[s] ?? ""),
        size: 80,
      },
    ],
  };
  return new uPlot(opts, data, into);
}

/** The node's changes, newest first, as the API gives them: the chart's text for screen readers. */
export function listChanges(into: HTMLElement | null, changes: TimelineChange[], on: string): void {
  if (!into) return;
  clear(into);
  if (changes.length === 0) return;
  into.append(
    h(
      "table",
      { class: "striped", id: "timeline-list" },
      h("caption", {}, `The last changes ${on} kept, newest first`),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Time"), h("th", { scope: "col" }, "Of"), h("th", { scope: "col" }, "State"))),
      h(
        "tbody",
        {},
        ...changes.slice(0, LISTED).map((c) =>
          h(
            "tr",
            {},
            h("td", {}, h("time", { datetime: c.time }, new Date(c.time).toLocaleString())),
            h("td", {}, c.side === "local" ? on : "its peer"),
            h("td", {}, c.state),
          ),
        ),
      ),
    ),
  );
}
