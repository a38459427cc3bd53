// What the console's end-to-end scripts share: their environment, the headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core) in a profile of their own, screenshots, waiting for
// a state to be painted, and the run itself, which names the step that failed, keeps a screenshot
// of every page then, and removes the profile whatever happens.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const WAIT = 60_000;

/** The value of an environment variable the calling test must set. */
export function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

/** Screenshots of whole pages into `dir`, each named in the output. */
export function screenshots(dir) {
  mkdirSync(dir, { recursive: true });
  return async (page, name) => {
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    console.log(`screenshot ${name}.png`);
  };
}

/** Waits until the element `id` shows the state `want` (its data-state), or says what it shows. */
export async function state(page, id, want) {
  const el = page.locator(`#${id}`);
  await el.and(page.locator(`[data-state="${want}"]`)).waitFor({ timeout: WAIT }).catch(async (e) => {
    const seen = (await el.count()) ? await el.first().textContent() : "(not shown)";
    throw new Error(`${id} never showed ${want} (shows ${seen}): ${e.message}`);
  });
}

/**
 * Runs `body(context, at)` in a fresh browser: `at.step` names what is being done, printed when
 * it fails (exit code 1, a screenshot of each page as `failure-page<N>.png` in `shotsDir`).
 */
export async function run(name, shotsDir, body) {
  const profile = mkdtempSync(join(tmpdir(), `bulwark-${name.replace(/\W+/g, "-")}-`));
  const at = { step: "launch" };
  let context;
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
    await body(context, at);
    console.log(`${name}: every step passed`);
  } catch (e) {
    console.log(`${name} failed at step "${at.step}": ${e.stack ?? e}`);
    if (context) {
      for (const [i, page] of context.pages().entries()) {
        await page.screenshot({ path: join(shotsDir, `failure-page${i + 1}.png`), fullPage: true }).catch(() => {});
      }
    }
    process.exitCode = 1;
  } finally {
    await context?.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
}
