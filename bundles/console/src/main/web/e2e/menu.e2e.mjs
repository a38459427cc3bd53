// End-to-end test of the console's global menu, the commands log of every node and the "degraded"
// indication (spec G.4, G.7, C.7) in headless Chromium, against two real nodes (n1, n2) that
// ConsoleMenuIT started with a mirror module PRIM on n1 and SECOND on n2. Logged in on n1 only.
// PHASE=up: n2 stopped from its local menu leaves n1 ALONE, shown degraded with its explanation;
// Start on all starts n2 only (n1 runs); Stop on all stops n2 first and n1 once n2 is STOP (n2
// never goes ALONE); Start on all from STOP-STOP starts n1 (primary last) first: PRIM-SECOND again;
// the Debug entry links both nodes' snapshots; n2's commands log through the node chooser; a
// Monitor user does not see the global menu; the phone-sized layout. PHASE=down (n2's node
// stopped): n2's commands log shows ERROR, Stop on all stops n1 and leaves n2 aside.
// A screenshot of each step goes to $SHOTS. Exits non-zero naming the step.
import { WAIT, check, env, run, screenshots, state } from "./browser.mjs";

const CONSOLE1 = env("CONSOLE1");
const ADMIN_PW = env("ADMIN_PW");
const MON_PW = env("MON_PW");
const SHOTS = env("SHOTS");
const PHASE = env("PHASE");
const MODULE = process.env.MODULE ?? "mirror";
const shot = screenshots(SHOTS);

async function login(page, user, password) {
  await page.goto(CONSOLE1);
  await page.locator("#login").waitFor({ timeout: WAIT });
  await page.fill("#user", user);
  await page.fill("#password", password);
  await page.click("#login button[type=submit]");
  await page.locator("#modules").waitFor({ timeout: WAIT });
}

/** Opens the module's global menu (it stays open when the page is drawn again). */
async function globalMenu(page) {
  const menu = page.locator(`#global-menu-${MODULE}`);
  if ((await menu.getAttribute("open")) === null) await page.click(`#global-menu-${MODULE} > summary`);
}

/** Runs a global action and waits until every node's step is over; returns the result's lines. */
async function global(page, verb) {
  await globalMenu(page);
  await page.click(`#global-menu-${MODULE} button[data-global=${verb}]`);
  const result = page.locator(`#global-${MODULE}[data-done=true]`);
  await result.waitFor({ timeout: WAIT });
  const lines = await result.locator("li").evaluateAll((lis) => lis.map((li) => ({ node: li.dataset.node, result: li.dataset.result, text: li.textContent })));
  console.log(`${verb} on all: ${JSON.stringify(lines)}`);
  return lines;
}

/** The browser's page, logged in on n1 as admin. */
async function adminPage(context) {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (e) => console.log(`page error: ${e.message}`));
  await login(page, "admin", ADMIN_PW);
  return page;
}

const up = async (context, at) => {
  at.step = "log in on n1: PRIM on n1, SECOND on n2, nothing degraded";
  const p1 = await adminPage(context);
  await state(p1, `st-n1-${MODULE}`, "PRIM");
  await state(p1, `st-n2-${MODULE}`, "SECOND");
  check(await p1.locator(`#dg-n1-${MODULE}`).isHidden(), "PRIM is shown degraded");

  at.step = "n2 stopped: n1 runs ALONE, shown degraded with why";
  await p1.click(`#cell-n2-${MODULE} details summary`);
  await p1.click(`#cell-n2-${MODULE} button[data-action=stop]`);
  await state(p1, `st-n2-${MODULE}`, "STOP");
  await state(p1, `st-n1-${MODULE}`, "ALONE");
  const badge = p1.locator(`button#dg-n1-${MODULE}`);
  await badge.waitFor({ timeout: WAIT });
  const label = await badge.getAttribute("aria-label");
  check(/degraded: not replicated: n1 runs alone/.test(label ?? ""), `the badge's label: ${label}`);
  // with the keyboard: the focus on it, Enter shows its tooltip (a tap does the same)
  await badge.focus();
  await p1.keyboard.press("Enter");
  const tip = p1.locator(`#dg-n1-${MODULE}-tip`);
  await tip.waitFor({ state: "visible", timeout: WAIT });
  check((await tip.textContent()).includes("not replicated"), `the tooltip: ${await tip.textContent()}`);
  console.log(`degraded: ${label} — ${await tip.textContent()}`);
  await shot(p1, "menu-01-degraded-alone");

  at.step = "Start on all: n1 runs already, n2 follows it as secondary";
  let lines = await global(p1, "start");
  check(lines[0].node === "n1" && lines[0].result === "left" && lines[0].text.includes("already ALONE"), `n1's line: ${JSON.stringify(lines[0])}`);
  check(lines[1].node === "n2" && lines[1].result === "done" && lines[1].text.includes("follows n1"), `n2's line: ${JSON.stringify(lines[1])}`);
  await state(p1, `st-n2-${MODULE}`, "SECOND");
  await state(p1, `st-n1-${MODULE}`, "PRIM");
  await p1.locator(`#dg-n1-${MODULE}`).and(p1.locator("[hidden]")).waitFor({ state: "attached", timeout: WAIT });
  await shot(p1, "menu-02-start-on-all");

  at.step = "Stop on all: n2 first, n1 once n2 is STOP; nothing fails over";
  const before = (await p1.evaluate(() => window.__bulwarkShown ?? [])).length;
  lines = await global(p1, "stop");
  check(lines.map((l) => `${l.node}:${l.result}`).join(" ") === "n2:done n1:done", `the stop: ${JSON.stringify(lines)}`);
  check(lines[0].text.includes("stopped"), `n2's line: ${lines[0].text}`);
  await state(p1, `st-n1-${MODULE}`, "STOP");
  await state(p1, `st-n2-${MODULE}`, "STOP");
  const shown = (await p1.evaluate(() => window.__bulwarkShown ?? [])).slice(before);
  const taken = shown.filter((s) => s.node === "n2" && /^(ALONE|PRIM)/.test(s.local));
  check(taken.length === 0, `n2 took over during the stop on all: ${JSON.stringify(taken)}`);
  console.log(`states painted during the stop: ${shown.map((s) => `${s.node}=${s.local}`).join(", ")}`);
  await shot(p1, "menu-03-stop-on-all");

  at.step = "Start on all from STOP-STOP: n1, primary last, first; PRIM-SECOND again";
  lines = await global(p1, "start");
  check(lines[0].node === "n1" && lines[0].result === "done", `the first node started: ${JSON.stringify(lines)}`);
  check(lines[1].node === "n2" && lines[1].result === "done", `the second: ${JSON.stringify(lines)}`);
  await state(p1, `st-n1-${MODULE}`, "PRIM");
  await state(p1, `st-n2-${MODULE}`, "SECOND");
  await shot(p1, "menu-04-start-on-all-from-stop");

  at.step = "Debug: the snapshots of both nodes";
  await globalMenu(p1);
  await p1.click(`#global-menu-${MODULE} details.debug summary`);
  for (const n of ["n1", "n2"]) {
    const href = await p1.locator(`#snapshot-${n}-${MODULE}`).getAttribute("href");
    const want = n === "n1" ? `/api/v1.0/modules/${MODULE}/snapshot` : `/api/v1.0/nodes/n2/modules/${MODULE}/snapshot`;
    check(href === want, `${n}'s snapshot link: ${href}`);
  }
  await shot(p1, "menu-05-debug");

  at.step = "n2's commands log through the node chooser";
  await p1.click("#cmdlog-link");
  await p1.locator("#cmdlog[data-node=n1]").waitFor({ timeout: WAIT });
  await p1.selectOption("#cmdlog-node", "n2");
  await p1.locator("#cmdlog[data-node=n2]").waitFor({ timeout: WAIT });
  const row = p1.locator("#cmdlog tr").filter({ hasText: `stop -m ${MODULE} -u admin@` });
  await row.first().waitFor({ timeout: WAIT });
  console.log(`n2's commands log: ${(await row.first().textContent()).trim()}`);
  await shot(p1, "menu-06-cmdlog-of-n2");

  at.step = "phone-sized layout with the global menu open";
  await p1.goto(CONSOLE1 + "#/monitoring");
  await p1.locator("#modules").waitFor({ timeout: WAIT });
  await p1.setViewportSize({ width: 390, height: 844 });
  await globalMenu(p1);
  await shot(p1, "menu-07-phone");
  const overflow = await p1.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the page is ${overflow}px wider than a phone's screen`);
  await p1.setViewportSize({ width: 1100, height: 760 });

  at.step = "a Monitor user does not see the global menu";
  await p1.click("#logout");
  await p1.locator("#login").waitFor({ timeout: WAIT });
  await login(p1, "mon", MON_PW);
  await state(p1, `st-n1-${MODULE}`, "PRIM");
  check((await p1.locator(`#global-menu-${MODULE}`).count()) === 0, "the Monitor user sees the global menu");
};

const down = async (context, at) => {
  at.step = "n2 is down: ERROR in its column";
  const p1 = await adminPage(context);
  await state(p1, `st-n2-${MODULE}`, "ERROR");

  at.step = "n2's commands log: ERROR";
  await p1.goto(CONSOLE1 + "#/cmdlog/n2");
  const error = p1.locator("#cmdlog-error [data-state=ERROR]");
  await error.waitFor({ timeout: WAIT });
  console.log(`n2's commands log: ${(await p1.locator("#cmdlog-error").textContent()).trim()}`);
  await shot(p1, "menu-08-cmdlog-of-n2-down");

  at.step = "Stop on all: n1 stopped, n2 left aside";
  await p1.goto(CONSOLE1 + "#/monitoring");
  await p1.locator("#modules").waitFor({ timeout: WAIT });
  const lines = await global(p1, "stop");
  const n1 = lines.find((l) => l.node === "n1");
  const n2 = lines.find((l) => l.node === "n2");
  check(n1?.result === "done", `n1's line: ${JSON.stringify(n1)}`);
  check(n2?.result === "left" && n2.text.includes("cannot be reached"), `n2's line: ${JSON.stringify(n2)}`);
  await state(p1, `st-n1-${MODULE}`, "STOP");
  await shot(p1, "menu-09-stop-on-all-n2-down");
};

await run(`menu e2e ${PHASE}`, SHOTS, PHASE === "down" ? down : up);
