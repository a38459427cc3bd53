// End-to-end test of the console in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), against two real nodes that ConsoleIT started with a mirror module PRIM on node 1
// and SECOND on node 2. Steps: a wrong password is refused; log in; see PRIM and SECOND; stop the
// primary from the console; watch node 2 take over ALONE; read the log line that says so; a
// Monitor user sees everything and can change nothing (buttons disabled, the API answers 403); the
// phone-sized layout. A screenshot of each step goes to $SHOTS. Exits non-zero naming the step.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
};
const CONSOLE1 = env("CONSOLE1");
const CONSOLE2 = env("CONSOLE2");
const ADMIN_PW = env("ADMIN_PW");
const MON_PW = env("MON_PW");
const SHOTS = env("SHOTS");
const MODULE = process.env.MODULE ?? "mirror";
const WAIT = 60_000;

mkdirSync(SHOTS, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), "bulwark-console-e2e-"));
let step = "launch";
let context;

function check(cond, message) {
  if (!cond) throw new Error(message);
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  console.log(`screenshot ${name}.png`);
}

async function state(page, id, want) {
  const el = page.locator(`#${id}`);
  await el.and(page.locator(`[data-state="${want}"]`)).waitFor({ timeout: WAIT }).catch(async (e) => {
    const seen = (await el.count()) ? await el.first().textContent() : "(not shown)";
    throw new Error(`${id} never showed ${want} (shows ${seen}): ${e.message}`);
  });
}

async function login(page, url, user, password, { keyboard = false } = {}) {
  await page.goto(url);
  await page.locator("#login").waitFor({ timeout: WAIT });
  if (keyboard) {
    // the user field has the focus; Tab to the password, Enter submits
    await page.keyboard.type(user);
    await page.keyboard.press("Tab");
    await page.keyboard.type(password);
    await page.keyboard.press("Enter");
  } else {
    await page.fill("#user", user);
    await page.fill("#password", password);
    await page.click("#login button[type=submit]");
  }
  await page.locator("#modules").waitFor({ timeout: WAIT });
}

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1100, height: 760 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const p1 = context.pages()[0] ?? (await context.newPage());
  p1.on("pageerror", (e) => console.log(`page error on node 1: ${e.message}`));

  step = "a wrong password is refused";
  await p1.goto(CONSOLE1);
  await p1.locator("#login").waitFor({ timeout: WAIT });
  await shot(p1, "01-login");
  await p1.fill("#user", "admin");
  await p1.fill("#password", "not the password");
  await p1.click("#login button[type=submit]");
  await p1.locator("#login-error").filter({ hasText: /./ }).waitFor({ timeout: WAIT });
  console.log(`refused: ${await p1.locator("#login-error").textContent()}`);

  step = "log in on node 1 and see PRIM and SECOND";
  await login(p1, CONSOLE1, "admin", ADMIN_PW);
  await state(p1, `row-${MODULE}-local`, "PRIM");
  await state(p1, `row-${MODULE}-remote`, "SECOND");
  check((await p1.locator("#who").textContent()).includes("Admin"), "the role is not shown");
  // both nodes of the cluster named, with a link to the other node's console
  const head = await p1.locator("#modules thead").textContent();
  check(head.includes(new URL(CONSOLE1).hostname) && head.includes(new URL(CONSOLE2).hostname), `the columns do not name both nodes: ${head}`);
  // (on this node's web port: the nodes of a cluster share it, here each test node has its own)
  const other = `//${new URL(CONSOLE2).hostname}:`;
  check((await p1.locator(`nav.nodes a[href*="${other}"]`).count()) === 1, "no link to the other node's console");
  await shot(p1, "02-monitoring-prim-second");

  step = "log in on node 2 and see SECOND and PRIM";
  const p2 = await context.newPage();
  p2.on("pageerror", (e) => console.log(`page error on node 2: ${e.message}`));
  await login(p2, CONSOLE2, "admin", ADMIN_PW);
  await state(p2, `row-${MODULE}-local`, "SECOND");
  await state(p2, `row-${MODULE}-remote`, "PRIM");

  step = "stop the primary from node 1's console";
  await p1.bringToFront();
  await p1.click(`#row-${MODULE} details summary`);
  await shot(p1, "03-control-menu");
  await p1.click(`#row-${MODULE} button[data-action=stop]`);
  await p1.locator("#status").filter({ hasText: "accepted" }).waitFor({ timeout: WAIT });
  await state(p1, `row-${MODULE}-local`, "STOP");
  await shot(p1, "04-primary-stopped");

  step = "watch the failover on node 2";
  await p2.bringToFront();
  await state(p2, `row-${MODULE}-local`, "ALONE");
  await shot(p2, "05-failover-alone");

  step = "read the log line that explains the failover";
  await p2.click(`#row-${MODULE} a`);
  const line = p2.locator("#log li").filter({ hasText: "Local state ALONE" });
  await line.first().waitFor({ timeout: WAIT });
  const why = p2.locator("#log li").filter({ hasText: /Action .*alone|remote stop/i });
  await why.first().waitFor({ timeout: WAIT });
  console.log(`log: ${(await why.first().textContent()).trim()}`);
  await p2.locator("#resources table").waitFor({ timeout: WAIT });
  await p2.locator("#timeline canvas").first().waitFor({ timeout: WAIT });
  await shot(p2, "06-module-log");

  step = "the commands log says who stopped the module";
  await p1.bringToFront();
  await p1.click("#cmdlog-link");
  const stopRow = p1.locator("#cmdlog tr").filter({ hasText: `stop -m ${MODULE} -u admin@` });
  await stopRow.first().waitFor({ timeout: WAIT });
  console.log(`commands log: ${(await stopRow.first().textContent()).trim()}`);
  await shot(p1, "09-commands-log");

  step = "a Monitor user sees everything and can change nothing";
  await p1.bringToFront();
  await p1.click("#logout");
  await p1.locator("#login").waitFor({ timeout: WAIT });
  await login(p1, CONSOLE1, "mon", MON_PW, { keyboard: true });
  await state(p1, `row-${MODULE}-local`, "STOP");
  await state(p1, `row-${MODULE}-remote`, "ALONE");
  const buttons = p1.locator(`#row-${MODULE} .controls button`);
  check((await buttons.count()) > 0, "no control button is shown to the Monitor user");
  for (let i = 0; i < (await buttons.count()); i++) {
    check(await buttons.nth(i).isDisabled(), `button ${await buttons.nth(i).textContent()} is enabled for Monitor`);
  }
  await p1.click(`#row-${MODULE} details summary`);
  await shot(p1, "07-monitor-read-only");
  const refused = await p1.evaluate(async (m) => {
    const r = await fetch(`/api/v1.0/modules/${m}/start`, { method: "POST" });
    return { status: r.status, body: await r.text() };
  }, MODULE);
  check(refused.status === 403, `the API let Monitor start the module: ${JSON.stringify(refused)}`);
  console.log(`Monitor refused: ${refused.status} ${refused.body}`);

  step = "phone-sized layout";
  await p1.setViewportSize({ width: 390, height: 844 });
  await shot(p1, "08-phone");
  const overflow = await p1.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the page is ${overflow}px wider than a phone's screen`);

  console.log("console e2e: every step passed");
} catch (e) {
  console.log(`console e2e failed at step "${step}": ${e.stack ?? e}`);
  if (context) {
    for (const [i, page] of context.pages().entries()) {
      await page.screenshot({ path: join(SHOTS, `failure-page${i + 1}.png`), fullPage: true }).catch(() => {});
    }
  }
  process.exitCode = 1;
} finally {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
}
