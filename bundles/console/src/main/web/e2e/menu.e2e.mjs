// End-to-end test of the console's global menu, the commands log of every node and the "degraded"
// indication (spec G.4, G.7, C.7) in headless Chromium, against two real nodes (n1, n2) that
// ConsoleMenuIT started with a mirror module PRIM on n1 and SECOND on n2. Logged in on n1 only.
// PHASE=up: n2 stopped from its local menu leaves n1 ALONE, shown degraded with its explanation;
// Start on all starts n2 only (n1 runs); Stop on all stops n2 first and n1 once n2 is STOP (n2
// never goes ALONE); Start on all from STOP-STOP starts n1 (primary last) first: PRIM-SECOND again;
// the Debug entry links both nodes' snapshots; n2's commands log through the node chooser; a
// Monitor user does not see the global menu; the phone-sized layout. PHASE=down (n2's node
// stopped): n2's commands log shows ERROR, Stop on all stops n1 and leaves n2 aside.
// PHASE=modules (after up, $SAFE_FILE a light module's .safe): the module list (spec G.4, F.5):
// the .safe chosen (the list drawn again keeps it), uploaded and installed on both nodes,
// configured on n2 through the API, downloaded, its saved configuration restored, the running
// mirror's uninstall refused with the node's words,
// the module deconfigured on n2 and uninstalled from both with the keyboard; the global menu's
// Debug downloads n2's module log and makes a dump on both nodes; a Monitor user sees no action.
// A screenshot of each step goes to $SHOTS. Exits non-zero naming the step.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
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

/** Opens the global menu's Debug (it stays open when the page is drawn again). */
async function debugMenu(page) {
  await globalMenu(page);
  const debug = page.locator(`#global-menu-${MODULE} details.debug`);
  if ((await debug.getAttribute("open")) === null) await page.click(`#global-menu-${MODULE} details.debug summary`);
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
  await debugMenu(p1);
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

/** Runs a module list action and waits for its result; returns each node's line. */
async function listAction(page, click) {
  await click();
  const result = page.locator("#modules-result[data-done=true]");
  await result.waitFor({ timeout: WAIT });
  const lines = await result.locator("li").evaluateAll((lis) => lis.map((li) => ({ node: li.dataset.node, result: li.dataset.result, text: li.textContent })));
  console.log(`module list: ${JSON.stringify(lines)}`);
  return lines;
}

/** Does `act`, then waits until the module list is drawn anew (the page's other parts stay). */
async function redrawn(page, act) {
  await page.locator("#module-list").evaluate((list) => (list.dataset.before = "true"));
  await act();
  await page.locator("#module-list:not([data-before])").waitFor({ timeout: WAIT });
}

/** Waits for the row of `module` on `node` to say whether it is configured (or to be gone). */
async function listed(page, node, module, configured) {
  const row = page.locator(`#mod-${node}-${module}`);
  if (configured === null) await row.waitFor({ state: "detached", timeout: WAIT });
  else await row.and(page.locator(`[data-configured="${configured}"]`)).waitFor({ timeout: WAIT });
}

const modulesPhase = async (context, at) => {
  const SAFE_FILE = env("SAFE_FILE");
  const extra = basename(SAFE_FILE, ".safe");
  at.step = "the module list: both nodes' mirror";
  const p1 = await adminPage(context);
  await p1.click("#modules-link");
  await p1.locator(`#mod-n1-${MODULE} [data-state=PRIM]`).waitFor({ timeout: WAIT });
  await p1.locator(`#mod-n2-${MODULE} [data-state=SECOND]`).waitFor({ timeout: WAIT });

  at.step = `upload ${basename(SAFE_FILE)} and install it on both nodes`;
  await p1.setInputFiles("#upload-file", SAFE_FILE);
  check((await p1.inputValue("#upload-name")) === extra, `the name offered: ${await p1.inputValue("#upload-name")}`);
  // the list drawn again meanwhile, as when a module comes or goes on a node, keeps what is chosen
  await redrawn(p1, () => p1.click("#modules-refresh"));
  check((await p1.inputValue("#upload-name")) === extra, `the name after the list was drawn again: ${await p1.inputValue("#upload-name")}`);
  let lines = await listAction(p1, () => p1.click("#upload-submit"));
  check(lines.length === 2 && lines.every((l) => l.result === "done"), `the install: ${JSON.stringify(lines)}`);
  await listed(p1, "n1", extra, false);
  await listed(p1, "n2", extra, false);
  await shot(p1, "modules-01-installed");

  at.step = "configure it on n2 through the API; the list shows it configured, STOP";
  check((await p1.getAttribute(`#configure-n2-${extra}`, "href")) === `#/wizard/module/${extra}`, "Configure does not open the module wizard");
  const configured = await p1.evaluate(async (m) => {
    const r = await fetch(`/api/v1.0/nodes/n2/modules/${m}/config`, { method: "POST", headers: { "X-Requested-With": "XMLHttpRequest", Accept: "application/json" } });
    return `${r.status} ${await r.text()}`;
  }, extra);
  check(configured.startsWith("200"), `config on n2: ${configured}`);
  await p1.click("#modules-refresh");
  await listed(p1, "n2", extra, true);
  await p1.locator(`#mod-n2-${extra} [data-state=STOP]`).waitFor({ timeout: WAIT });

  at.step = "download it from n2 (the packaged .safe)";
  const [download] = await Promise.all([p1.waitForEvent("download", { timeout: WAIT }), p1.click(`#download-n2-${extra}`)]);
  const bytes = readFileSync(await download.path());
  check(download.suggestedFilename() === `${extra}.safe` && bytes[0] === 0x50 && bytes[1] === 0x4b, `the download: ${download.suggestedFilename()}, ${bytes.length} bytes`);
  console.log(`downloaded ${download.suggestedFilename()}: ${bytes.length} bytes`);

  at.step = "its last configurations on n2, one to restore";
  await p1.click(`#restore-n2-${extra}`);
  const choice = p1.locator(`#restore-choice-n2-${extra} option`);
  await choice.first().waitFor({ state: "attached", timeout: WAIT });
  console.log(`saved configurations: ${(await choice.allTextContents()).join(", ")}`);
  await shot(p1, "modules-02-configured-restore");
  lines = await listAction(p1, () => p1.click(`#restore-apply-n2-${extra}`));
  check(lines[0].result === "done", `the restore: ${JSON.stringify(lines)}`);
  await listed(p1, "n2", extra, true);

  at.step = "the running mirror's uninstall is refused with the node's words";
  await p1.click(`#uninstall-n1-${MODULE}`);
  lines = await listAction(p1, () => p1.click(`#confirm-uninstall-n1-${MODULE}`));
  check(lines[0].result === "failed" && lines[0].text.includes("is running: stop it first"), `the refusal: ${JSON.stringify(lines)}`);
  await shot(p1, "modules-03-uninstall-refused");

  at.step = "deconfigure it on n2";
  lines = await listAction(p1, () => p1.click(`#deconfigure-n2-${extra}`));
  check(lines[0].result === "done", `the deconfig: ${JSON.stringify(lines)}`);
  await listed(p1, "n2", extra, false);

  at.step = "uninstall it from both nodes, with the keyboard";
  for (const n of ["n2", "n1"]) {
    await p1.focus(`#uninstall-${n}-${extra}`);
    await p1.keyboard.press("Enter");
    const yes = p1.locator(`#confirm-uninstall-${n}-${extra}`);
    await yes.waitFor({ timeout: WAIT });
    check(await yes.evaluate((b) => document.activeElement === b), "the confirmation does not have the focus");
    if (n === "n2") await shot(p1, "modules-04-uninstall-confirm");
    lines = await listAction(p1, () => p1.keyboard.press("Enter"));
    check(lines[0].result === "done" && lines[0].text.includes("uninstalled"), `the uninstall on ${n}: ${JSON.stringify(lines)}`);
    await listed(p1, n, extra, null);
  }
  await shot(p1, "modules-05-uninstalled");

  at.step = "Debug: n2's module log as a file, a dump on both nodes";
  await p1.goto(CONSOLE1 + "#/monitoring");
  await p1.locator("#modules").waitFor({ timeout: WAIT });
  await debugMenu(p1);
  const [log] = await Promise.all([p1.waitForEvent("download", { timeout: WAIT }), p1.click(`#log-n2-${MODULE}`)]);
  const text = readFileSync(await log.path(), "utf8");
  check(log.suggestedFilename() === `log_n2_${MODULE}.txt` && text.includes("Local state SECOND"), `n2's log: ${log.suggestedFilename()}, ${text.slice(0, 200)}`);
  await p1.click(`#dump-all-${MODULE}`);
  const dumps = p1.locator(`#dumps-${MODULE} li[data-result=done]`);
  await p1.waitForFunction((id) => [...document.querySelectorAll(`#${id} li`)].every((li) => li.dataset.result !== "pending"), `dumps-${MODULE}`, { timeout: WAIT });
  const dumpLines = await p1.locator(`#dumps-${MODULE} li`).allTextContents();
  console.log(`dumps: ${JSON.stringify(dumpLines)}`);
  check((await dumps.count()) === 2, `the dumps: ${JSON.stringify(dumpLines)}`);
  await shot(p1, "modules-06-debug");

  at.step = "a Monitor user sees the list and no action";
  await p1.click("#logout");
  await p1.locator("#login").waitFor({ timeout: WAIT });
  await login(p1, "mon", MON_PW);
  await p1.goto(CONSOLE1 + "#/configuration");
  await p1.locator(`#mod-n2-${MODULE} [data-state=SECOND]`).waitFor({ timeout: WAIT });
  check((await p1.locator("#upload, #module-list button, #module-list a[role=button]").count()) === 0, "the Monitor user has actions");
  await shot(p1, "modules-07-monitor");
};

await run(`menu e2e ${PHASE}`, SHOTS, PHASE === "down" ? down : PHASE === "modules" ? modulesPhase : up);
