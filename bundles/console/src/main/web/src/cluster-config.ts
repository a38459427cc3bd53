// The cluster configuration the wizard edits (spec A.3, B.1): lans, and each node's name and
// address on every lan; turned into cluster.xml and checked field by field before the node checks
// the file itself.
import { attr } from "./wizard-common";

export interface LanModel {
  name: string;
  /** The lan the nodes' commands go through (command="on"). */
  command: boolean;
}

export interface NodeModel {
  name: string;
  /** One address per lan, in the lans' order. */
  addrs: string[];
}

export interface ClusterModel {
  lans: LanModel[];
  nodes: NodeModel[];
}

/** The field ids the wizard gives its inputs, so that an error lands at its field. */
export const fieldId = {
  lan: (l: number) => `lan-${l}-name`,
  node: (n: number) => `node-${n}-name`,
  addr: (n: number, l: number) => `node-${n}-addr-${l}`,
};

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const ADDRESS = /^[A-Za-z0-9._:%-]{1,253}$/;

/** Every mistake at once, by field id; empty when the model can be written. */
export function validateCluster(m: ClusterModel): Map<string, string> {
  const errors = new Map<string, string>();
  if (!m.lans.length) errors.set("lans", "at least one lan is needed");
  if (m.nodes.length < 1) errors.set("nodes", "at least one node is needed");
  const lanNames = new Set<string>();
  m.lans.forEach((lan, l) => {
    const id = fieldId.lan(l);
    if (!lan.name) errors.set(id, "a lan needs a name");
    else if (!NAME.test(lan.name)) errors.set(id, "letters, digits, '.', '_' and '-' only");
    else if (lanNames.has(lan.name)) errors.set(id, `lan ${lan.name} is already named`);
    lanNames.add(lan.name);
  });
  const nodeNames = new Set<string>();
  m.nodes.forEach((node, n) => {
    const id = fieldId.node(n);
    if (!node.name) errors.set(id, "a node needs a name");
    else if (!NAME.test(node.name)) errors.set(id, "letters, digits, '.', '_' and '-' only");
    else if (nodeNames.has(node.name)) errors.set(id, `node ${node.name} is already named`);
    nodeNames.add(node.name);
    m.lans.forEach((lan, l) => {
      const a = (node.addrs[l] ?? "").trim();
      const aid = fieldId.addr(n, l);
      if (!a) errors.set(aid, `the address of ${node.name || "this node"} on lan ${lan.name || l + 1} is missing`);
      else if (!ADDRESS.test(a)) errors.set(aid, `'${a}' is not an IP address or a host name`);
    });
  });
  // one address is one node: the same one twice on a lan is a typing mistake
  m.lans.forEach((_lan, l) => {
    const seen = new Map<string, number>();
    m.nodes.forEach((node, n) => {
      const a = (node.addrs[l] ?? "").trim();
      if (!a) return;
      if (seen.has(a)) errors.set(fieldId.addr(n, l), `${a} is already the address of ${m.nodes[seen.get(a)!].name}`);
      else seen.set(a, n);
    });
  });
  return errors;
}

/** cluster.xml (spec B.1): one lan element per lan, every node in each with its address there. */
export function clusterXml(m: ClusterModel): string {
  const lines = ["<cluster>", "  <lans>"];
  m.lans.forEach((lan, l) => {
    lines.push(`    <lan name="${attr(lan.name)}"${lan.command ? ' command="on"' : ""}>`);
    for (const node of m.nodes) {
      lines.push(`      <node name="${attr(node.name)}" addr="${attr((node.addrs[l] ?? "").trim())}"/>`);
    }
    lines.push("    </lan>");
  });
  lines.push("  </lans>", "</cluster>", "");
  return lines.join("\n");
}

/** The node a server of a distributed command is, by its address on any lan. */
export function nodeOfServer(m: ClusterModel, server: string): string {
  let host = server;
  try {
    host = new URL(server).hostname.replace(/^\[|\]$/g, "");
  } catch {
    // not a URL: compare as is
  }
  const node = m.nodes.find((n) => n.addrs.some((a) => a.trim() === host));
  return node ? `${node.name} (${host})` : server;
}
