// @vitest-environment jsdom
// The module list (spec G.4, F.5): the modules of a node from its two answers, the actions by role,
// the .safe's module name, the log as text; then the page against a fake API: a Monitor user sees
// no action, an Admin's uninstall asks first (Escape gives up), and a refusal shows the node's words.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ModuleRow } from "../src/api";
import { actionsFor, logText, mergeModules, moduleNameOf, parseListId } from "../src/module-list";
import { type ModulesContext, showModules } from "../src/modules";

const row = (name: string, id: number, state: string, readiness = "Ready"): ModuleRow => ({ name, id, kind: "mirror", state, readiness });

describe("module list (pure)", () => {
  it("parses safekit module listid, skipping what is not a name and an id", () => {
    expect(parseListId("mirror 1\nfarm 2\n\nnot a line here\n")).toEqual([
      { name: "mirror", id: 1 },
      { name: "farm", id: 2 },
    ]);
  });

  it("merges configured and installed modules, by name", () => {
    const merged = mergeModules([row("mirror", 1, "PRIM")], [
      { name: "mirror", id: 1 },
      { name: "extra", id: 2 },
    ]);
    expect(merged).toEqual([
      { name: "extra", id: 2, kind: null, configured: false, state: null },
      { name: "mirror", id: 1, kind: "mirror", configured: true, state: "PRIM Ready" },
    ]);
    expect(mergeModules([row("mirror", 1, "STOP")], null).map((e) => e.name)).toEqual(["mirror"]);
  });

  it("offers the actions to an Admin only; deconfigure only to a configured module", () => {
    const on = { name: "m", id: 1, kind: "mirror", configured: true, state: "STOP" };
    const off = { ...on, configured: false, state: null };
    expect(actionsFor("Monitor", on)).toEqual([]);
    expect(actionsFor("Control", on)).toEqual([]);
    expect(actionsFor("Admin", on)).toEqual(["configure", "deconfigure", "uninstall", "download", "restore"]);
    expect(actionsFor("Admin", off)).not.toContain("deconfigure");
  });

  it("names a module after its .safe", () => {
    expect(moduleNameOf("C:\\fakepath\\mirror.safe")).toBe("mirror");
    expect(moduleNameOf("farm.SAFE")).toBe("farm");
    expect(moduleNameOf("noext")).toBe("noext");
  });

  it("writes the log oldest first, one row a line", () => {
    const e = (seq: number, message: string) => ({ seq, time: `t${seq}`, component: "heart", level: "E", message });
    expect(logText([e(2, "b"), e(1, "a")])).toBe("| t1 | heart | E | a\n| t2 | heart | E | b\n");
  });
});

/** A fake API: each "METHOD path" answers a status and a body; every request is recorded. */
function fakeApi(routes: Record<string, [number, unknown]>): string[] {
  const seen: string[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      const key = `${init?.method ?? "GET"} ${url}`;
      seen.push(key);
      const [status, body] = routes[key] ?? [404, { detail: `no route ${key}` }];
      return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
    }),
  );
  return seen;
}

const ctx = (role: string): ModulesContext => ({
  self: "n1",
  role,
  nodes: [
    { name: "n1", status: "UP" },
    { name: "n2", status: "UP" },
    { name: "n3", status: "ERROR", detail: "Connection refused" },
  ],
});

const routes = (): Record<string, [number, unknown]> => ({
  "GET /api/v1.0/modules": [200, [row("mirror", 1, "PRIM")]],
  "GET /api/v1.0/nodes/n2/modules": [200, [row("mirror", 1, "SECOND")]],
  "POST /api/v1.0/exec": [200, { exitCode: 0, output: "mirror 1\nextra 2\n" }],
  "POST /api/v1.0/nodes/n2/exec": [200, { exitCode: 0, output: "mirror 1\n" }],
});

describe("module list page", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("shows a Monitor user every node's modules and no action, without asking for listid", async () => {
    const seen = fakeApi(routes());
    const app = document.body.appendChild(document.createElement("main"));
    await showModules(app, ctx("Monitor"));
    expect(app.querySelector("#mod-n1-mirror [data-state]")?.textContent).toBe("PRIM");
    expect(app.querySelector("#mod-n1-mirror [data-state]")?.className).toContain("st-green");
    expect(app.querySelector("#mod-n2-mirror [data-state]")?.textContent).toBe("SECOND");
    expect(app.querySelector("section[data-node=n3] [data-state=ERROR]")).not.toBeNull();
    expect(app.querySelectorAll("#module-list button, #module-list a[role=button], form")).toHaveLength(0);
    expect(app.querySelector("#wizard-readonly")?.textContent).toContain("yours is Monitor");
    expect(seen.filter((s) => s.includes("/exec"))).toEqual([]);
  });

  it("lists an installed module that is not configured, to an Admin", async () => {
    fakeApi(routes());
    const app = document.body.appendChild(document.createElement("main"));
    await showModules(app, ctx("Admin"));
    const extra = app.querySelector("#mod-n1-extra")!;
    expect(extra.getAttribute("data-configured")).toBe("false");
    expect(extra.querySelector("[data-state]")?.textContent).toBe("NOT CONFIGURED");
    expect(app.querySelector("#deconfigure-n1-extra")).toBeNull();
    expect(app.querySelector("#download-n2-mirror")?.getAttribute("href")).toBe("/api/v1.0/nodes/n2/modules/mirror/package");
    expect(app.querySelector("#upload")).not.toBeNull();
  });

  it("asks before uninstalling; Escape gives up; a refusal shows the node's words", async () => {
    const r = routes();
    r["DELETE /api/v1.0/modules/mirror"] = [409, { title: "Conflict", detail: "module uninstall -m mirror: mirror is PRIM, not STOP" }];
    const seen = fakeApi(r);
    const app = document.body.appendChild(document.createElement("main"));
    await showModules(app, ctx("Admin"));
    const open = app.querySelector<HTMLButtonElement>("#uninstall-n1-mirror")!;
    open.click();
    const yes = app.querySelector<HTMLButtonElement>("#confirm-uninstall-n1-mirror")!;
    expect(document.activeElement).toBe(yes);
    yes.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect(app.querySelector("#confirm-uninstall-n1-mirror")).toBeNull();
    expect(document.activeElement?.id).toBe("uninstall-n1-mirror");
    expect(seen.some((s) => s.startsWith("DELETE"))).toBe(false);

    app.querySelector<HTMLButtonElement>("#uninstall-n1-mirror")!.click();
    // drawn again while it asks (a state changed): the confirmation stays, with the focus
    await showModules(app, ctx("Admin"));
    expect(document.activeElement?.id).toBe("confirm-uninstall-n1-mirror");
    app.querySelector<HTMLButtonElement>("#confirm-uninstall-n1-mirror")!.click();
    await vi.waitFor(() => expect(document.querySelector("#modules-result[data-done=true] li")).not.toBeNull());
    const li = document.querySelector("#modules-result li")!;
    expect(li.getAttribute("data-result")).toBe("failed");
    expect(li.textContent).toBe("n1: module uninstall -m mirror: mirror is PRIM, not STOP");
    // drawn again (a state changed): the result stays
    await showModules(app, ctx("Admin"));
    expect(app.querySelector("#modules-result li")?.textContent).toBe("n1: module uninstall -m mirror: mirror is PRIM, not STOP");
  });
});

describe("module list drawn again", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("keeps the upload form's file and name and the focus; a reading overtaken by a later one draws nothing", async () => {
    // n2's first answer is held back: that drawing ends after the next one, which saw extra on n2
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    let n2Reads = 0;
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        const key = `${init?.method ?? "GET"} ${url}`;
        let body: unknown = { exitCode: 0, output: "mirror 1\n" };
        if (key === "GET /api/v1.0/modules") body = [row("mirror", 1, "PRIM")];
        if (key === "GET /api/v1.0/nodes/n2/modules") {
          if (n2Reads++ === 1) await held;
          body = n2Reads === 1 ? [row("mirror", 1, "SECOND")] : [row("mirror", 1, "SECOND"), row("extra", 2, "STOP")];
        }
        return new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } });
      }),
    );
    const app = document.body.appendChild(document.createElement("main"));
    const c = { ...ctx("Admin"), shown: () => true };
    await showModules(app, c);
    const form = app.querySelector("#upload")!;
    app.querySelector<HTMLInputElement>("#upload-name")!.value = "extra";
    app.querySelector<HTMLElement>("#uninstall-n2-mirror")!.focus();

    const stale = showModules(app, c);
    await showModules(app, c);
    release();
    await stale;
    expect(app.querySelector("#mod-n2-extra")).not.toBeNull();
    expect(app.querySelector("#upload")).toBe(form);
    expect(app.querySelector<HTMLInputElement>("#upload-name")!.value).toBe("extra");
    expect(document.activeElement?.id).toBe("uninstall-n2-mirror");
  });

  it("draws nothing once another page is shown", async () => {
    fakeApi(routes());
    const app = document.body.appendChild(document.createElement("main"));
    app.append(document.createElement("table"));
    await showModules(app, { ...ctx("Admin"), shown: () => false });
    expect(app.querySelector("#module-list")).toBeNull();
    expect(app.querySelector("table")).not.toBeNull();
  });

  it("offers a node for the install again once it answers, and not while it does not", async () => {
    fakeApi(routes());
    const app = document.body.appendChild(document.createElement("main"));
    const c = ctx("Admin");
    await showModules(app, c);
    const box = (n: string) => app.querySelector<HTMLInputElement>(`#upload input[value=${n}]`)!;
    expect([box("n2").checked, box("n3").disabled]).toEqual([true, true]);
    c.nodes[1].status = "ERROR";
    c.nodes[2].status = "UP";
    await showModules(app, c);
    expect([box("n2").checked, box("n2").disabled, box("n3").checked, box("n3").disabled]).toEqual([false, true, true, false]);
  });
});
