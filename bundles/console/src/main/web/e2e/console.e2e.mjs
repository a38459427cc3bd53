// End-to-end test of the console in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), against two real nodes (n1, n2) that ConsoleIT started with a mirror module PRIM
// on n1 and SECOND on n2. One console, on n1, for both nodes (spec G.4): a wrong password is
// refused; log in on n1 only; see PRIM on n1 and SECOND on n2 live; stop and start the secondary on
// n2 from n1's console; stop the primary on n1 and watch n2 take over ALONE; read n2's log line that
// says so, open a row's context (the verbose log around it, what start_prim printed), n2's
// information, its states timeline and its snapshot through n1; a Monitor user sees everything and can
// change nothing, on either node (buttons disabled, the API answers 403); the phone-sized layout. A
// screenshot of each step goes to $SHOTS. Exits non-zero naming the step.
import { WAIT, check, env, run, screenshots, state } from "./browser.mjs";

const CONSOLE1 = env("CONSOLE1");
const CONSOLE2 = env("CONSOLE2");
const ADMIN_PW = env("ADMIN_PW");
const MON_PW = env("MON_PW");
const SHOTS = env("SHOTS");
const MODULE = process.env.MODULE ?? "mirror";
const shot = screenshots(SHOTS);

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

await run("console e2e", SHOTS, async (context, at) => {
  const p1 = context.pages()[0] ?? (await context.newPage());
  p1.on("pageerror", (e) => console.log(`page error on node 1: ${e.message}`));

  at.step = "a wrong password is refused";
  await p1.goto(CONSOLE1);
  await p1.locator("#login").waitFor({ timeout: WAIT });
  await shot(p1, "01-login");
  await p1.fill("#user", "admin");
  await p1.fill("#password", "not the password");
  await p1.click("#login button[type=submit]");
  await p1.locator("#login-error").filter({ hasText: /./ }).waitFor({ timeout: WAIT });
  console.log(`refused: ${await p1.locator("#login-error").textContent()}`);

  at.step = "log in on n1 only and see both nodes: PRIM on n1, SECOND on n2";
  await login(p1, CONSOLE1, "admin", ADMIN_PW);
  await state(p1, `st-n1-${MODULE}`, "PRIM");
  await state(p1, `st-n2-${MODULE}`, "SECOND");
  check((await p1.locator("#who").textContent()).includes("Admin"), "the role is not shown");
  const head = await p1.locator("#modules thead").textContent();
  check(head.includes(new URL(CONSOLE1).hostname) && head.includes(new URL(CONSOLE2).hostname), `the columns do not name both nodes: ${head}`);
  await p1.locator(`#row-${MODULE} .kind`).filter({ hasText: /id [1-9]/ }).waitFor({ timeout: WAIT });
  await shot(p1, "02-monitoring-both-nodes");

  at.step = "stop the secondary on n2 from n1's console";
  await p1.click(`#cell-n2-${MODULE} details summary`);
  await shot(p1, "03-control-menu-of-n2");
  await p1.click(`#cell-n2-${MODULE} button[data-action=stop]`);
  await p1.locator("#status").filter({ hasText: "n2: " }).filter({ hasText: "accepted" }).waitFor({ timeout: WAIT });
  await state(p1, `st-n2-${MODULE}`, "STOP");
  await state(p1, `st-n1-${MODULE}`, "ALONE");
  await shot(p1, "04-n2-stopped-from-n1");

  at.step = "start the secondary on n2 again from n1's console";
  await p1.click(`#cell-n2-${MODULE} button[data-action=start]`);
  await state(p1, `st-n2-${MODULE}`, "SECOND");
  await state(p1, `st-n1-${MODULE}`, "PRIM");

  at.step = "stop the primary on n1 and watch n2 take over";
  await p1.click(`#cell-n1-${MODULE} details summary`);
  await p1.click(`#cell-n1-${MODULE} button[data-action=stop]`);
  await state(p1, `st-n1-${MODULE}`, "STOP");
  await state(p1, `st-n2-${MODULE}`, "ALONE");
  await shot(p1, "05-failover-alone-on-n2");

  at.step = "the display times of n2's changes in n1's console";
  const shown = await p1.evaluate(() => window.__bulwarkShown ?? []);
  const remote = shown.filter((s) => s.node === "n2" && s.module).map((s) => s.shown - s.event);
  console.log(`n2's state changes painted in n1's console after (ms from n2's event time): ${JSON.stringify(remote)}`);

  at.step = "n2's details through n1: the log line that explains the failover";
  await p1.click(`#cell-n2-${MODULE} a`);
  await p1.locator("h1#title").filter({ hasText: "on n2" }).waitFor({ timeout: WAIT });
  const line = p1.locator("#log li").filter({ hasText: "Local state ALONE" });
  await line.first().waitFor({ timeout: WAIT });
  const why = p1.locator("#log li").filter({ hasText: /Action .*alone|remote stop/i });
  await why.first().waitFor({ timeout: WAIT });
  console.log(`log of n2: ${(await why.first().textContent()).trim()}`);
  await shot(p1, "06-n2-module-log");

  at.step = "a log row of n2 opened with the keyboard: the verbose log around it";
  const alone = line.first();
  await alone.focus();
  await p1.keyboard.press("Enter");
  const current = p1.locator("#log-context #context-rows li.current");
  await current.filter({ hasText: "Local state ALONE" }).waitFor({ timeout: WAIT });
  const around = await p1.locator("#log-context #context-rows li").count();
  check(around > 1, `the context of the row holds ${around} rows`);
  const seq = await alone.getAttribute("data-seq");
  await p1.keyboard.press("Escape");
  await p1.locator("#log-context").and(p1.locator(":not([open])")).waitFor({ state: "attached", timeout: WAIT });
  const back = await p1.evaluate(() => document.activeElement?.getAttribute("data-seq"));
  check(back === seq, `the focus went back to row ${back}, not ${seq}`);

  at.step = "a script row of n2 clicked: what start_prim printed, read through n1";
  await p1.locator("#log li").filter({ hasText: /^.*Script start_prim$/ }).first().click();
  await p1.locator("#log-context #context-ulog").filter({ hasText: "start_prim: called with" }).waitFor({ timeout: WAIT });
  await p1.locator("#log-context #context-rows li.current").filter({ hasText: "Script start_prim" }).waitFor({ timeout: WAIT });
  console.log(`start_prim on n2 printed: ${(await p1.locator("#context-ulog").textContent()).trim()}`);
  await shot(p1, "06b-n2-log-context");
  await p1.click("#context-close");

  at.step = "n2's resources, reintegration, information and timeline tabs";
  await p1.click("#tab-resources");
  await p1.locator("#resources table").waitFor({ timeout: WAIT });
  await p1.click("#tab-reintegration");
  await p1.locator("#reintegration p").first().waitFor({ timeout: WAIT });
  await p1.click("#tab-information");
  await p1.locator("#info-table").filter({ hasText: new URL(CONSOLE2).hostname }).waitFor({ timeout: WAIT });
  await shot(p1, "07-n2-information");
  await p1.click("#tab-timeline");
  await p1.locator("#timeline canvas").first().waitFor({ timeout: WAIT });
  // the timeline n2 kept, newest first: it begins before this console opened (n2's first start)
  await p1.locator("#timeline-list tbody tr").filter({ hasText: "ALONE" }).first().waitFor({ timeout: WAIT });
  const times = await p1.locator("#timeline-list time").evaluateAll((ts) => ts.map((t) => Date.parse(t.getAttribute("datetime"))));
  check(times.every((t, i) => i === 0 || t <= times[i - 1]), `the timeline is not newest first: ${times}`);
  const opened = await p1.evaluate(() => performance.timeOrigin);
  check(Math.min(...times) < opened, `the timeline starts when the console opened (${times}), not with n2's own history`);
  await shot(p1, "07b-n2-timeline");

  at.step = "n2's snapshot through n1";
  const href = await p1.locator("#snapshot").getAttribute("href");
  check(href && href.includes(`/nodes/n2/modules/${MODULE}/snapshot`), `the snapshot link is ${href}`);
  const snapshot = await p1.evaluate(async (url) => {
    const r = await fetch(url);
    const body = await r.arrayBuffer();
    return { status: r.status, disposition: r.headers.get("content-disposition"), size: body.byteLength };
  }, href);
  check(snapshot.status === 200 && /snapshot_.*\.zip/.test(snapshot.disposition ?? "") && snapshot.size > 0, `snapshot: ${JSON.stringify(snapshot)}`);
  console.log(`snapshot of n2: ${snapshot.size} bytes, ${snapshot.disposition}`);

  at.step = "the commands log says who stopped the module on n1";
  await p1.goto(CONSOLE1 + "#/cmdlog");
  const stopRow = p1.locator("#cmdlog tr").filter({ hasText: `stop -m ${MODULE} -u admin@` });
  await stopRow.first().waitFor({ timeout: WAIT });
  console.log(`commands log: ${(await stopRow.first().textContent()).trim()}`);
  await shot(p1, "09-commands-log");

  at.step = "a Monitor user sees everything and can change nothing";
  await p1.goto(CONSOLE1 + "#/monitoring");
  await p1.locator("#logout").click();
  await p1.locator("#login").waitFor({ timeout: WAIT });
  await login(p1, CONSOLE1, "mon", MON_PW, { keyboard: true });
  await state(p1, `st-n1-${MODULE}`, "STOP");
  await state(p1, `st-n2-${MODULE}`, "ALONE");
  const buttons = p1.locator("#modules .controls button");
  check((await buttons.count()) > 0, "no control button is shown to the Monitor user");
  for (let i = 0; i < (await buttons.count()); i++) {
    check(await buttons.nth(i).isDisabled(), `button ${await buttons.nth(i).textContent()} is enabled for Monitor`);
  }
  await p1.click(`#cell-n2-${MODULE} details summary`);
  await shot(p1, "08-monitor-read-only");
  for (const path of [`/api/v1.0/modules/${MODULE}/start`, `/api/v1.0/nodes/n2/modules/${MODULE}/stop`]) {
    const refused = await p1.evaluate(async (p) => {
      const r = await fetch(p, { method: "POST" });
      return { status: r.status, body: await r.text() };
    }, path);
    check(refused.status === 403, `the API let Monitor POST ${path}: ${JSON.stringify(refused)}`);
    console.log(`Monitor refused: ${path} ${refused.status} ${refused.body}`);
  }

  at.step = "phone-sized layout";
  await p1.setViewportSize({ width: 390, height: 844 });
  await shot(p1, "10-phone");
  const overflow = await p1.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the page is ${overflow}px wider than a phone's screen`);
});
