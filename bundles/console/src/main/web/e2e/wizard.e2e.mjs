// End-to-end test of the configuration wizards in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core), against two real nodes that ConsoleWizardIT started with no cluster
// configuration and no module. Steps: configure the two-node cluster with the wizard (a mistyped
// address refused at its field, both addresses reachable, cluster.xml checked, applied on both
// nodes); deploy a mirror module from the mirror.safe template with the module wizard (forms, every
// kind of checker with the server's words at a wrong field, an interface checker on loopback kept,
// an error shown at its line in the advanced mode, save and check, save and apply on both nodes);
// start it on both nodes and watch PRIM and SECOND with the checker's resource up; stop the
// primary and watch the failover; apply again, refused on the node where the module runs; read
// the log line that explains it; a Monitor user cannot use the wizards. A screenshot of each step
// goes to $SHOTS. Exits non-zero naming the step.
import { WAIT, check, env, run, screenshots, state } from "./browser.mjs";

const CONSOLE1 = env("CONSOLE1");
const CONSOLE2 = env("CONSOLE2");
const ADMIN_PW = env("ADMIN_PW");
const MON_PW = env("MON_PW");
const SHOTS = env("SHOTS");
const ADDR1 = new URL(CONSOLE1).hostname;
const ADDR2 = new URL(CONSOLE2).hostname;
const MODULE = "mirror";
const shot = screenshots(SHOTS);

async function status(page, text) {
  await page.locator("#wizard-status").filter({ hasText: text }).waitFor({ timeout: WAIT }).catch(async (e) => {
    throw new Error(`the wizard never said "${text}" (says "${await page.locator("#wizard-status").textContent()}"): ${e.message}`);
  });
}

async function fieldSays(page, id, text) {
  await page.locator(`${id}[aria-invalid=true]`).waitFor({ timeout: WAIT });
  const help = await page.locator(`${id}-help`).textContent();
  check(help === text, `${id} says "${help}", not the server's "${text}"`);
}

async function login(page, url, user, password) {
  await page.goto(url);
  await page.locator("#login").waitFor({ timeout: WAIT });
  await page.fill("#user", user);
  await page.fill("#password", password);
  await page.click("#login button[type=submit]");
  // the monitoring page, or the cluster wizard at the first connection to a node without cluster.xml
  await page.locator("#cluster-wizard-link, #cluster-wizard").first().waitFor({ timeout: WAIT });
}

await run("wizard e2e", SHOTS, async (context, at) => {
  const p1 = context.pages()[0] ?? (await context.newPage());
  p1.on("pageerror", (e) => console.log(`page error on node 1: ${e.message}`));

  at.step = "the cluster wizard opens by itself on node 1: no cluster configuration yet";
  await login(p1, CONSOLE1, "admin", ADMIN_PW);
  await p1.locator("#cluster-wizard").waitFor({ timeout: WAIT });
  await p1.locator("#first-connection").waitFor({ timeout: WAIT });
  check(new URL(p1.url()).hash === "#/wizard/cluster", `the page is ${p1.url()}`);
  await shot(p1, "wizard-00-first-connection");

  at.step = "enter the two nodes; a mistyped address is refused at its field";
  await p1.fill("#node-0-name", "node1");
  await p1.fill("#node-0-addr-0", ADDR1);
  await p1.click("#add-node");
  await p1.fill("#node-1-name", "node2");
  await p1.fill("#node-1-addr-0", "10.0.0 .2");
  await p1.click("#check-addresses");
  await p1.locator("#node-1-addr-0[aria-invalid=true]").waitFor({ timeout: WAIT });
  const help = await p1.locator("#node-1-addr-0-help").textContent();
  check(help.includes("not an IP address"), `no error at the address field: ${help}`);
  check((await p1.evaluate(() => document.activeElement?.id)) === "node-1-addr-0", "the focus is not on the wrong field");
  await shot(p1, "wizard-01-cluster-field-error");

  at.step = "both addresses reachable from node 1";
  await p1.fill("#node-1-addr-0", ADDR2);
  await p1.click("#check-addresses");
  await p1.locator("#node-0-addr-0[data-reachable=true]").waitFor({ timeout: WAIT });
  await p1.locator("#node-1-addr-0[data-reachable=true]").waitFor({ timeout: WAIT });
  await status(p1, "Every address is reachable");
  const xml = await p1.locator("#cluster-xml").textContent();
  check(xml.includes(`<node name="node2" addr="${ADDR2}"/>`), `cluster.xml does not have node2: ${xml}`);
  await p1.click("#check-cluster");
  await status(p1, "cluster.xml is valid");
  await shot(p1, "wizard-02-cluster-reachable");

  at.step = "save and apply the cluster configuration on both nodes";
  await p1.click("#apply-cluster");
  await status(p1, "applied on every node");
  const ok = p1.locator("#cluster-results tbody tr[data-success=true]");
  check((await ok.count()) === 2, `not 2 successes: ${await p1.locator("#cluster-results").textContent()}`);
  await shot(p1, "wizard-03-cluster-applied");

  at.step = "install a mirror module from the mirror.safe template";
  await p1.goto(`${CONSOLE1}#/wizard/module`);
  await p1.locator("#template option[value=mirror]").waitFor({ state: "attached", timeout: WAIT });
  await p1.selectOption("#template", "mirror");
  await p1.fill("#module-name", MODULE);
  await p1.click("#install-module");
  await p1.locator("#module-form").waitFor({ timeout: WAIT });
  await status(p1, "is installed on this node");
  check((await p1.inputValue("#macros-0-value")) === "default", "the LAN macro is not shown");
  await shot(p1, "wizard-04-module-forms");

  at.step = "the forms: no replicated directory here (a test node has no FUSE lab), a process checker";
  // both test nodes share this machine's file system: replicating one directory onto itself is
  // for the lab tests (ReplicationIT); the form removes it as an administrator would
  await p1.click("#section-rfs button.remove");
  check((await p1.locator("#section-rfs [data-item]").count()) === 0, "the replicated directory is still there");
  await p1.click("#add-errd-0");
  await p1.fill("#errd-0-name", "java");
  await p1.selectOption("#errd-0-action", "noaction");
  await p1.selectOption("#errd-0-class", "prim");

  at.step = "advanced mode: an error is shown at its line, then corrected";
  await p1.click("#mode-advanced");
  const text = await p1.inputValue("#file-text");
  check(text.includes('<proc name="java"') && !text.includes("<rfs"), `the forms did not change userconfig.xml:\n${text}`);
  await p1.fill("#file-text", text.replace('failover="on"', 'failover="maybe"'));
  await p1.click("#save-check");
  await status(p1, "error");
  const lineButton = p1.locator("#file-errors button").first();
  await lineButton.waitFor({ timeout: WAIT });
  console.log(`error shown: ${(await p1.locator("#file-errors li").first().textContent()).trim()}`);
  await lineButton.click();
  const selected = await p1.evaluate(() => {
    const a = document.getElementById("file-text");
    return a.value.slice(a.selectionStart, a.selectionEnd);
  });
  check(selected.includes('failover="maybe"'), `"Line" selects another line: ${selected}`);
  await shot(p1, "wizard-05-module-error-at-line");
  // and without <rfs>, the heartbeat no longer carries a replication flow: confcheck says so
  // (ident 'flow' with no <rfs>), so the corrected file names it plainly
  await p1.fill("#file-text", text.replace('ident="flow"', 'ident="0"'));
  await p1.selectOption("#file-select", "bin/start_prim");
  check((await p1.inputValue("#file-text")).includes("start_prim"), "the script is not shown");
  await p1.click("#save-check");
  await status(p1, "is valid");

  at.step = "every kind of checker through the forms: the server's words at a field, then a valid file";
  await p1.click("#mode-form");
  // added in this order, so that check-<i> is the i-th: intf, tcp, ping, ip, custom, module, splitbrain
  const kinds = { intf: 2, tcp: 0, ping: 1, ip: 3, custom: 4, module: 5, splitbrain: 6 };
  for (const k of Object.values(kinds)) await p1.click(`#add-check-${k}`);
  check((await p1.locator("#add-check-6").count()) === 0, "a second split brain checker is offered");
  await p1.fill("#check-0-ident", "loopback");
  await p1.fill("#check-0-to-local_addr", "127.0.0.256");
  await fieldSays(p1, "#check-0-to-local_addr", "'127.0.0.256' is not a valid IPv4 address");
  await p1.fill("#check-0-to-local_addr", "127.0.0.1");
  await p1.fill("#check-2-to-addr", "127.0.0.1");
  await p1.fill("#check-3-to-addr", "127.0.0.1");
  await p1.fill("#check-4-exec", "appcheck");
  await p1.fill("#check-5-name", "other");
  await p1.fill("#check-6-arg", "127.0.0.1");
  await p1.fill("#check-1-to-timeout", "400ms");
  await fieldSays(p1, "#check-1-to-timeout", "invalid value '400ms' for the attribute timeout (expected time unit: 's')");
  await p1.fill("#check-5-to-port", "70000");
  await p1.selectOption("#check-1-when", "pre");
  await fieldSays(p1, "#check-1-action", `action 'restart' is not allowed with when="pre"; expected one of: wait, noaction`);
  await p1.selectOption("#check-1-when", "prim");
  await p1.locator("#check-1-action:not([aria-invalid])").waitFor({ timeout: WAIT });
  await p1.click("#save-check");
  await status(p1, "2 fields are not valid, nothing was saved");
  check((await p1.evaluate(() => document.activeElement?.id)) === "check-1-to-timeout", "the focus is not on the first wrong field");
  await shot(p1, "wizard-05a-checker-field-errors");
  await p1.fill("#check-1-to-timeout", "2s");
  await p1.fill("#check-5-to-port", "9453");
  await p1.click("#save-check");
  await status(p1, "is valid");

  at.step = "keep the interface checker on loopback only";
  for (let i = 6; i >= 1; i--) await p1.click(`#section-check [data-item=check-${i}] button.remove`);
  check((await p1.locator("#section-check [data-item]").count()) === 1, "the other checkers are still there");
  check((await p1.inputValue("#check-0-to-local_addr")) === "127.0.0.1", "the interface checker lost its address");
  await p1.click("#save-check");
  await status(p1, "is valid");
  await p1.click("#mode-advanced");
  await p1.selectOption("#file-select", "conf/userconfig.xml");
  const withChecker = await p1.inputValue("#file-text");
  check(withChecker.includes('<intf ident="loopback">') && withChecker.includes('<to local_addr="127.0.0.1"/>') && !withChecker.includes("<tcp"), `the checkers are not as the forms left them:\n${withChecker}`);

  at.step = "save and apply the module on both nodes";
  for (const n of ["node1", "node2"]) {
    const shown = await p1.locator(`#apply-${n}-state`).textContent();
    check(shown === "not configured", `${n} is not shown "not configured" before the first apply: ${shown}`);
  }
  check(await p1.isChecked("#apply-node1"), "node1 is not chosen");
  check(await p1.isChecked("#apply-node2"), "node2 is not chosen");
  await p1.click("#save-apply");
  await status(p1, "is applied on node1, node2");
  check((await p1.locator("#module-results tbody tr[data-success=true]").count()) === 2, `not 2 successes: ${await p1.locator("#module-results").textContent()}`);
  await shot(p1, "wizard-06-module-applied");

  at.step = "start the module on node 1 as primary, then on node 2: PRIM and SECOND";
  // a first start with the peer stopped waits (notuptodate_server, spec C): node 1 holds the
  // data to keep, so it is forced to start as primary, as the guide says for the first start
  await p1.goto(`${CONSOLE1}#/monitoring`);
  await p1.locator(`#row-${MODULE}`).waitFor({ timeout: WAIT });
  await p1.click(`#cell-node1-${MODULE} details summary`);
  await p1.click(`#cell-node1-${MODULE} button[data-action=prim]`);
  await state(p1, `st-node1-${MODULE}`, "ALONE");
  const p2 = await context.newPage();
  p2.on("pageerror", (e) => console.log(`page error on node 2: ${e.message}`));
  await login(p2, CONSOLE2, "admin", ADMIN_PW);
  await p2.locator(`#row-${MODULE}`).waitFor({ timeout: WAIT });
  await p2.click(`#cell-node2-${MODULE} details summary`);
  await p2.click(`#cell-node2-${MODULE} button[data-action=start]`);
  await state(p2, `st-node2-${MODULE}`, "SECOND");
  await p1.bringToFront();
  await state(p1, `st-node1-${MODULE}`, "PRIM");
  await state(p1, `st-node2-${MODULE}`, "SECOND");
  await shot(p1, "wizard-07-prim-second");
  const intf = await p1.evaluate(async (m) => {
    const r = await fetch(`/api/v1.0/modules/${m}`, { headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" } });
    return (await r.json()).resources.find((x) => x.name === "intf.loopback");
  }, MODULE);
  check(intf?.value === "up", `the interface checker's resource is not up: ${JSON.stringify(intf)}`);
  console.log(`interface checker: intf.loopback ${intf.value} (set by ${intf.setter})`);

  at.step = "stop the primary; node 2 takes over";
  await p1.click(`#cell-node1-${MODULE} details summary`).catch(() => {});
  if (!(await p1.locator(`#cell-node1-${MODULE} button[data-action=stop]`).isVisible())) await p1.click(`#cell-node1-${MODULE} details summary`);
  await p1.click(`#cell-node1-${MODULE} button[data-action=stop]`);
  await state(p1, `st-node1-${MODULE}`, "STOP");
  await p2.bringToFront();
  await state(p2, `st-node2-${MODULE}`, "ALONE");
  await shot(p2, "wizard-08-failover-alone");

  at.step = "save and apply is not offered where the module runs (node 2 ALONE), only where it is STOP";
  await p1.goto(`${CONSOLE1}#/wizard/module/${MODULE}`);
  await p1.locator("#apply-node2-state").filter({ hasText: "is ALONE" }).waitFor({ timeout: WAIT });
  check(await p1.locator("#apply-node2").isDisabled(), "node2 (ALONE) can be chosen");
  check(!(await p1.isChecked("#apply-node2")), "node2 (ALONE) is chosen");
  check((await p1.locator("#apply-node1-state").textContent()) === "STOP", `node1 is not shown STOP: ${await p1.locator("#apply-node1-state").textContent()}`);
  check(await p1.isChecked("#apply-node1"), "node1 (STOP) is not chosen");
  await p1.click("#save-apply");
  await status(p1, "Not applied on node2 is ALONE");
  check((await p1.locator("#module-results tbody tr").count()) === 1, `not one node's result: ${await p1.locator("#module-results").textContent()}`);
  check((await p1.locator("#module-results tbody tr[data-success=true]").count()) === 1, `node1's apply failed: ${await p1.locator("#module-results").textContent()}`);
  await shot(p1, "wizard-08a-apply-stopped-nodes-only");
  await p1.goto(`${CONSOLE1}#/monitoring`);

  at.step = "read the log line that explains the failover";
  await p2.click(`#row-${MODULE} a`);
  const why = p2.locator("#log li").filter({ hasText: /Action .*alone|remote stop/i });
  await why.first().waitFor({ timeout: WAIT });
  console.log(`log: ${(await why.first().textContent()).trim()}`);
  await shot(p2, "wizard-09-failover-log");

  at.step = "a Monitor user cannot use the wizards";
  await p1.bringToFront();
  await p1.click("#logout");
  await p1.locator("#login").waitFor({ timeout: WAIT });
  await login(p1, CONSOLE1, "mon", MON_PW);
  await p1.click("#cluster-wizard-link");
  await p1.locator("#wizard-readonly").waitFor({ timeout: WAIT });
  for (const id of ["#apply-cluster", "#check-addresses", "#add-node", "#node-0-addr-0"]) {
    check(await p1.locator(id).isDisabled(), `${id} is enabled for Monitor`);
  }
  await shot(p1, "wizard-10-monitor-read-only");
  await p1.click('nav[aria-label=breadcrumb] a');
  await p1.click("#module-wizard-link");
  await p1.locator("#wizard-readonly").waitFor({ timeout: WAIT });
  check(await p1.locator("#install-module").isDisabled(), "Install is enabled for Monitor");
  const refused = await p1.evaluate(async () => {
    const r = await fetch("/api/v1.0/wizard/cluster/apply", { method: "POST", headers: { "Content-Type": "application/xml" }, body: "<cluster/>" });
    return { status: r.status, body: await r.text() };
  });
  check(refused.status === 403, `the API let Monitor apply a cluster.xml: ${JSON.stringify(refused)}`);
  console.log(`Monitor refused: ${refused.status} ${refused.body}`);

  at.step = "phone-sized layout of the module wizard";
  await p1.setViewportSize({ width: 390, height: 844 });
  await shot(p1, "wizard-11-phone");
  const overflow = await p1.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 1, `the page is ${overflow}px wider than a phone's screen`);
});
