// Benchmark (not a test): the time from a module state change on a node to its display in a
// connected console, against a plain Server-Sent Events client of the same node in the same run
// (the baseline: what the network and the API give before the browser has anything to do).
// ConsoleBench starts the node and a module; this script logs in, then stops and starts the module
// CHANGES times through the API. Per change, the start is the time of the module log's
// "Local state <X>" row (stamped by the node at the transition), the end the time the console
// painted the new state (requestAnimationFrame after the update) or the SSE client read the event.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CONSOLE = process.env.CONSOLE;
const API = new URL("/api/v1.0", CONSOLE).href;
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

/** The plain SSE client: the time each local state of MODULE arrived. */
function sseClient(arrivals, abort) {
  return (async () => {
    const r = await fetch(`${API}/events`, {
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
          if (ev.module === MODULE) arrivals.push({ local: ev.local, at: now });
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
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(CONSOLE);
  await page.fill("#user", USER);
  await page.fill("#password", PW);
  await page.click("#login button[type=submit]");
  await page.locator(`#row-${MODULE}-local`).waitFor({ timeout: 60_000 });
  const arrivals = [];
  const sse = sseClient(arrivals, abort);
  const shown = [];
  const seen = [];
  for (let i = 0; i < CHANGES; i++) {
    const up = i % 2 === 1;
    const target = up ? `${UP} Ready` : "STOP NotReady";
    const fromShown = await page.evaluate(() => (window.__bulwarkShown ?? []).length);
    const fromArrivals = arrivals.length;
    await api("POST", `/modules/${MODULE}/${up ? "start" : "stop"}`);
    await page.locator(`#row-${MODULE}-local[data-state="${target.split(" ")[0]}"]`).waitFor({ timeout: 60_000 });
    const deadline = Date.now() + 30_000;
    let painted;
    let arrived;
    while ((!painted || !arrived) && Date.now() < deadline) {
      painted ??= (await page.evaluate(() => window.__bulwarkShown ?? []))
        .slice(fromShown)
        .find((s) => s.local === target);
      arrived ??= arrivals.slice(fromArrivals).find((a) => a.local === target);
      if (!painted || !arrived) await new Promise((r) => setTimeout(r, 20));
    }
    if (!painted || !arrived) throw new Error(`change to ${target}: console ${!!painted}, SSE client ${!!arrived}`);
    const changed = await changeTime(target);
    shown.push(painted.shown - changed);
    seen.push(arrived.at - changed);
    console.log(`BENCH change to ${target}: painted in the console after ${painted.shown - changed} ms, SSE client after ${arrived.at - changed} ms`);
  }
  console.log(`BENCH state change to console display: median ${median(shown)} ms, runs ${JSON.stringify(shown)}`);
  console.log(`BENCH baseline state change to a plain SSE client: median ${median(seen)} ms, runs ${JSON.stringify(seen)}`);
  abort.abort();
  await sse;
} finally {
  abort.abort();
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
