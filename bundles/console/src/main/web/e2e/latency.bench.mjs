// Benchmark (not a test): the time from a module state change on a node to its display in a
// connected console, against plain Server-Sent Events clients in the same run (the baselines: what
// the network and the API give before the browser has anything to do). ConsoleBench starts the
// nodes and a module; this script logs in, then stops and starts the module CHANGES times through
// the API. With CHANGED (the API of another node, NODE its name), the module is on that other node
// and the console relays its states: the baselines are then a plain client of the changing node's
// own /events and one of the console node's /events/cluster. Per change, the start is the time of
// the module log's "Local state <X>" row (stamped by the node at the transition), the end the time
// the console painted the new state (requestAnimationFrame after the update) or the SSE client read
// the event. It also reports the bytes of the console's first load (compressed, as sent).
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CONSOLE = process.env.CONSOLE;
const CONSOLE_API = new URL("/api/v1.0", CONSOLE).href;
const API = process.env.CHANGED ? new URL("/api/v1.0", process.env.CHANGED).href : CONSOLE_API;
const NODE = process.env.NODE;
const USER = process.env.ADMIN_USER ?? "admin";
const PW = process.env.ADMIN_PW;
const MODULE = process.env.MODULE;
const CHANGES = Number(process.env.CHANGES ?? 10);
const UP = process.env.UP_STATE ?? "UP";
const BASIC = "Basic " + Buffer.from(`${USER}:${PW}`).toString("base64");
const profile = mkdtempSync(join(tmpdir(), "bulwark-console-bench-"));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function api(method, path) {
  const r = await fetch(`${API}${path}`, { method, headers: { Authorization: BASIC } });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A plain SSE client of url: the time each local state of MODULE (on NODE, if given) arrived. */
function sseClient(url, arrivals, abort) {
  return (async () => {
    const r = await fetch(url, {
      headers: { Authorization: BASIC, Accept: "text/event-stream" },
      signal: abort.signal,
    });
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of r.body) {
      const now = Date.now();
      buffer += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith("data: ")) {
          const ev = JSON.parse(line.slice(6));
          if (ev.module === MODULE && (!ev.node || !NODE || ev.node === NODE)) arrivals.push({ local: ev.local, at: now });
        }
      }
    }
  })().catch((e) => {
    if (e.name !== "AbortError") throw e;
  });
}

async function changeTime(state) {
  const page = await api("GET", `/modules/${MODULE}/log?level=E&limit=100`);
  const rows = page.entries.filter((e) => e.message === `Local state ${state}`);
  if (!rows.length) throw new Error(`no 'Local state ${state}' row in the module log`);
  return Date.parse(rows[rows.length - 1].time);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const abort = new AbortController();
try {
  // The bench's node has no cluster configuration, so an Admin's first login there would land in
  // the cluster wizard (main.ts offerClusterWizard): this browser has been offered it already, and
  // the first load measured stays the monitoring page's.
  await context.addInitScript(() => {
    const read = Storage.prototype.getItem;
    Storage.prototype.getItem = function (key) {
      return String(key).startsWith("bulwark.clusterWizardOffered.") ? "offered" : read.call(this, key);
    };
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // the console's first load: every file as sent (compressed), the event stream left out
  const loads = [];
  page.on("requestfinished", (req) =>
    loads.push(
      req.sizes().then(async (sz) => {
        const resp = await req.response();
        const type = resp?.headers()["content-type"] ?? "";
        if (type.startsWith("text/event-stream")) return null;
        const body = await resp.body().catch(() => Buffer.alloc(0));
        return { url: req.url(), wire: sz.responseBodySize + sz.responseHeadersSize, content: body.length };
      }),
    ),
  );
  await page.goto(CONSOLE);
  await page.fill("#user", USER);
  await page.fill("#password", PW);
  await page.click("#login button[type=submit]");
  const badge = NODE ? `#st-${NODE}-${MODULE}` : `[id^="st-"][id$="-${MODULE}"]`;
  await page.locator(badge).first().waitFor({ timeout: 60_000 });
  const files = (await Promise.all(loads)).filter((x) => x);
  const wire = files.reduce((a, f) => a + f.wire, 0);
  const content = files.reduce((a, f) => a + f.content, 0);
  console.log(`BENCH transfer of the console's first load, login to monitoring: ${wire} bytes sent (headers included), ${content} bytes of content, ${files.length} requests`);
  for (const f of files) console.log(`BENCH   ${f.wire} B sent, ${f.content} B content: ${new URL(f.url).pathname}`);
  const arrivals = [];
  const sse = sseClient(`${API}/events`, arrivals, abort);
  const relayed = [];
  const relay = process.env.CHANGED ? sseClient(`${CONSOLE_API}/events/cluster`, relayed, abort) : null;
  const shown = [];
  const seen = [];
  const seenRelayed = [];
  for (let i = 0; i < CHANGES; i++) {
    const up = i % 2 === 1;
    const target = up ? `${UP} Ready` : "STOP NotReady";
    const fromShown = await page.evaluate(() => (window.__bulwarkShown ?? []).length);
    const fromArrivals = arrivals.length;
    const fromRelayed = relayed.length;
    await api("POST", `/modules/${MODULE}/${up ? "start" : "stop"}`);
    await page.locator(`${badge}[data-state="${target.split(" ")[0]}"]`).first().waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 30_000;
    let painted;
    let arrived;
    let relayedAt = relay ? undefined : { at: 0 };
    while ((!painted || !arrived || !relayedAt) && Date.now() < deadline) {
      painted ??= (await page.evaluate(() => window.__bulwarkShown ?? []))
        .slice(fromShown)
        .find((s) => s.local === target && (!NODE || s.node === NODE));
      arrived ??= arrivals.slice(fromArrivals).find((a) => a.local === target);
      relayedAt ??= relayed.slice(fromRelayed).find((a) => a.local === target);
      if (!painted || !arrived || !relayedAt) await new Promise((r) => setTimeout(r, 20));
    }
    if (!painted || !arrived || !relayedAt) throw new Error(`change to ${target}: console ${!!painted}, SSE client ${!!arrived}, relay client ${!!relayedAt}`);
    const changed = await changeTime(target);
    shown.push(painted.shown - changed);
    seen.push(arrived.at - changed);
    if (relay) seenRelayed.push(relayedAt.at - changed);
    console.log(`BENCH change to ${target}: painted in the console after ${painted.shown - changed} ms, SSE client after ${arrived.at - changed} ms${relay ? `, relayed /events/cluster client after ${relayedAt.at - changed} ms` : ""}`);
  }
  console.log(`BENCH state change to console display: median ${median(shown)} ms, runs ${JSON.stringify(shown)}`);
  console.log(`BENCH baseline state change to a plain SSE client of the changing node: median ${median(seen)} ms, runs ${JSON.stringify(seen)}`);
  if (relay) console.log(`BENCH baseline state change to a plain client of the console node's /events/cluster: median ${median(seenRelayed)} ms, runs ${JSON.stringify(seenRelayed)}`);
  abort.abort();
  await sse;
  await relay;
} finally {
  abort.abort();
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
