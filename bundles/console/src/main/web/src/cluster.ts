// The nodes of the cluster, from `safekit cluster state` (GET /cluster/state): the command lan's
// names and addresses, so that the console can name this node and its peer, and link to the
// console of every node (a session is valid on its own node only).

export interface ClusterNode {
  name: string;
  addr: string;
}

/** The nodes of the command lan (else of the first lan) in {@code cluster state}'s output. */
export function parseClusterState(output: string): ClusterNode[] {
  const lans: { command: boolean; nodes: ClusterNode[] }[] = [];
  for (const line of output.split("\n")) {
    const lan = /^lan (\S+)( \(command\))?/.exec(line);
    if (lan) {
      lans.push({ command: lan[2] !== undefined, nodes: [] });
      continue;
    }
    const node = /^\s+(\S+)\s+(\S+)/.exec(line);
    if (node && lans.length) {
      lans[lans.length - 1].nodes.push({ name: node[1], addr: node[2] });
    }
  }
  return (lans.find((l) => l.command) ?? lans[0])?.nodes ?? [];
}

/** This node (by its address) and, in a two-node cluster, its peer. */
export function selfAndPeer(
  nodes: ClusterNode[],
  address: string,
): { self: ClusterNode | null; peer: ClusterNode | null } {
  const self = nodes.find((n) => n.addr === address) ?? null;
  const others = nodes.filter((n) => n !== self);
  return { self, peer: self && others.length === 1 ? others[0] : null };
}

export interface LanView {
  name: string;
  command: boolean;
  nodes: ClusterNode[];
}

/** Every lan of {@code cluster state}'s output, with its nodes: the Information tab (spec G.4). */
export function parseLans(output: string): LanView[] {
  const lans: LanView[] = [];
  for (const line of output.split("\n")) {
    const lan = /^lan (\S+)( \(command\))?/.exec(line);
    if (lan) {
      lans.push({ name: lan[1], command: lan[2] !== undefined, nodes: [] });
      continue;
    }
    const node = /^\s+(\S+)\s+(\S+)/.exec(line);
    if (node && lans.length) {
      lans[lans.length - 1].nodes.push({ name: node[1], addr: node[2] });
    }
  }
  return lans;
}

/** This node's name: the cluster node with its address, else the host name. */
export function selfName(nodes: ClusterNode[], address: string, host: string): string {
  return nodes.find((n) => n.addr === address)?.name ?? host;
}
