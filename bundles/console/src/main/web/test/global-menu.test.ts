// @vitest-environment jsdom
// The global menu's Debug (spec G.4, G.12): a dump on every node that answers, each node's result
// as its API said it; the links of each node's log and snapshot through the connection node.
import { afterEach, describe, expect, it, vi } from "vitest";
import { type GlobalContext, globalMenu } from "../src/global-menu";

const ctx: GlobalContext = {
  self: "n1",
  nodesOf: () => [
    { node: "n1", state: "PRIM", reachable: true },
    { node: "n2", state: "SECOND", reachable: true },
    { node: "n3", state: null, reachable: false },
  ],
  untilStopped: async () => true,
  admin: true,
};

describe("global menu Debug", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
  });

  it("makes a dump on each node that answers and lists each one's answer", async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        asked.push(`${init?.method} ${url} ${init?.body}`);
        return url.includes("/nodes/n2/")
          ? new Response(JSON.stringify({ detail: "n2 refused: 403 Forbidden" }), { status: 403 })
          : new Response(JSON.stringify({ command: "dump -m mirror", exitCode: 0, output: "Dump of mirror in /x/dump_1\n" }));
      }),
    );
    const menu = document.body.appendChild(globalMenu({ name: "mirror", kind: "mirror" }, true, ctx));
    expect(menu.querySelector("#snapshot-n2-mirror")?.getAttribute("href")).toBe("/api/v1.0/nodes/n2/modules/mirror/snapshot");
    expect(menu.querySelector("#log-n3-mirror")).toBeNull();
    menu.querySelector<HTMLButtonElement>("#dump-all-mirror")!.click();
    await vi.waitFor(() => expect(menu.querySelectorAll("#dumps-mirror li[data-result=pending]")).toHaveLength(0));
    expect(asked).toEqual([
      'POST /api/v1.0/exec {"args":["dump","-m","mirror"]}',
      'POST /api/v1.0/nodes/n2/exec {"args":["dump","-m","mirror"]}',
    ]);
    const lines = [...menu.querySelectorAll("#dumps-mirror li")].map((li) => `${li.getAttribute("data-result")} ${li.textContent}`);
    expect(lines).toEqual(["done n1: Dump of mirror in /x/dump_1", "failed n2: n2 refused: 403 Forbidden"]);
  });

  it("keeps Debug open and the dumps' results when the page is drawn again while they run", async () => {
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        await held;
        return new Response(JSON.stringify({ command: "dump -m farm", exitCode: 0, output: "Dump of farm\n" }));
      }),
    );
    const menu = document.body.appendChild(globalMenu({ name: "farm", kind: "farm" }, true, ctx));
    const debug = menu.querySelector<HTMLDetailsElement>("details.debug")!;
    debug.open = true;
    debug.dispatchEvent(new Event("toggle"));
    menu.querySelector<HTMLButtonElement>("#dump-all-farm")!.click();
    // a node came or went: the monitoring page is drawn again
    const again = globalMenu({ name: "farm", kind: "farm" }, true, ctx);
    menu.replaceWith(again);
    expect(again.querySelector<HTMLDetailsElement>("details.debug")!.open).toBe(true);
    expect(again.querySelectorAll("#dumps-farm li[data-result=pending]")).toHaveLength(2);
    release();
    await vi.waitFor(() => expect(again.querySelectorAll("#dumps-farm li[data-result=done]")).toHaveLength(2));
    const drawnLater = globalMenu({ name: "farm", kind: "farm" }, true, ctx);
    expect([...drawnLater.querySelectorAll("#dumps-farm li")].map((li) => li.textContent)).toEqual(["n1: Dump of farm", "n2: Dump of farm"]);
  });

  it("offers a Control user the logs and snapshots but no dump (Admin only)", () => {
    const menu = document.body.appendChild(globalMenu({ name: "mirror", kind: "mirror" }, true, { ...ctx, admin: false }));
    expect(menu.querySelector("#dump-all-mirror")).toBeNull();
    expect(menu.querySelector("#log-n1-mirror")).not.toBeNull();
    expect(menu.querySelector("#snapshot-n2-mirror")).not.toBeNull();
  });
});
