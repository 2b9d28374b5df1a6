import type { CDPSession } from 'playwright-core';

/**
 * A V8 heap snapshot of the page (DevTools protocol HeapProfiler), parsed just enough to say what
 * survives: every node's type, name, id, size and whether it is a detached DOM node, and the
 * edges between nodes. Object ids are stable across snapshots of one page and grow with each
 * allocation, so "the objects of the later snapshot with ids above the earlier one's highest" are
 * those allocated in between and still alive: the three-snapshot technique for leaks.
 */
export interface HeapSnapshot {
  nodeCount: number;
  maxId: number;
  type(node: number): string;
  name(node: number): string;
  id(node: number): number;
  selfSize(node: number): number;
  detached(node: number): boolean;
  /** Who holds a node: [holder, edge name] pairs, weak edges left out. */
  retainers(node: number): [number, string][];
  /** Steps from the GC roots (weak edges not followed); Infinity when unreachable. */
  distance(node: number): number;
}

/**
 * Whether an id is one of the heap's own, handed out in allocation order: V8 numbers the objects
 * it tracks with odd ids, in steps of two. The even ones are embedder nodes without an address
 * (Node's own C++ objects in a node process's snapshot), numbered by a hash: huge, different in
 * each snapshot, and no mark of when anything was made.
 */
const counted = (id: number) => id % 2 === 1;

export async function takeHeapSnapshot(cdp: CDPSession): Promise<HeapSnapshot> {
  const chunks: string[] = [];
  const collect = ({ chunk }: { chunk: string }) => void chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
  }
  return parseHeapSnapshot(chunks.join(''));
}

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]]; edge_fields: string[]; edge_types: [string[], ...unknown[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export function parseHeapSnapshot(json: string): HeapSnapshot {
  const raw = JSON.parse(json) as RawSnapshot;
  const { meta } = raw.snapshot;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [nType, nName, nId, nSize, nEdges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number, number];
  const nDetached = meta.node_fields.indexOf('detachedness');
  const [eType, eName, eTo] = ['type', 'name_or_index', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number, number];
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const weak = edgeTypes.indexOf('weak');
  const nodeCount = raw.nodes.length / nf;
  const firstEdge = new Uint32Array(nodeCount + 1);
  for (let n = 0; n < nodeCount; n++) firstEdge[n + 1] = firstEdge[n]! + raw.nodes[n * nf + nEdges]!;

  const edgeName = (e: number) => {
    const type = edgeTypes[raw.edges[e * ef + eType]!];
    const nameOrIndex = raw.edges[e * ef + eName]!;
    return type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : String(raw.strings[nameOrIndex]);
  };
  const retainerLists: number[][] = Array.from({ length: nodeCount }, () => []);
  const distances = new Float64Array(nodeCount).fill(Infinity);
  distances[0] = 0;
  const queue = [0];
  for (let n = 0; n < nodeCount; n++) {
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++) {
      if (raw.edges[e * ef + eType] === weak) continue;
      retainerLists[raw.edges[e * ef + eTo]! / nf]!.push(e, n);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const n = queue[head]!;
    for (let e = firstEdge[n]!; e < firstEdge[n + 1]!; e++) {
      if (raw.edges[e * ef + eType] === weak) continue;
      const to = raw.edges[e * ef + eTo]! / nf;
      if (distances[to] === Infinity) {
        distances[to] = distances[n]! + 1;
        queue.push(to);
      }
    }
  }
  let maxId = 0;
  for (let n = 0; n < nodeCount; n++) if (counted(raw.nodes[n * nf + nId]!)) maxId = Math.max(maxId, raw.nodes[n * nf + nId]!);
  return {
    nodeCount,
    maxId,
    type: (n) => nodeTypes[raw.nodes[n * nf + nType]!]!,
    name: (n) => raw.strings[raw.nodes[n * nf + nName]!]!,
    id: (n) => raw.nodes[n * nf + nId]!,
    selfSize: (n) => raw.nodes[n * nf + nSize]!,
    detached: (n) => nDetached >= 0 && raw.nodes[n * nf + nDetached] === 2,
    retainers: (n) => {
      const list = retainerLists[n]!;
      const out: [number, string][] = [];
      for (let i = 0; i < list.length; i += 2) out.push([list[i + 1]!, edgeName(list[i]!)]);
      return out;
    },
    distance: (n) => distances[n]!,
  };
}

/** How a node is reached from the GC roots: the shortest chain of holders, nearest first. */
export function retainerPath(heap: HeapSnapshot, node: number, maxSteps = 14): string {
  const steps: string[] = [];
  for (let n = node, i = 0; i < maxSteps && heap.distance(n) > 0; i++) {
    const holders = heap.retainers(n).filter(([h]) => heap.distance(h) < heap.distance(n));
    if (!holders.length) break;
    const [holder, edge] = holders.reduce((a, b) => (heap.distance(b[0]) < heap.distance(a[0]) ? b : a));
    steps.push(`${edge} ← ${label(heap, holder)}`);
    n = holder;
  }
  return `${label(heap, node)} ${steps.join(' ')}`;
}

const label = (heap: HeapSnapshot, n: number) => `${heap.detached(n) ? 'Detached ' : ''}${heap.type(n) === 'object' || heap.type(n) === 'native' ? heap.name(n).slice(0, 60) : `(${heap.type(n)})`}`;

export interface SurvivorGroup {
  what: string;
  count: number;
  bytes: number;
  /** How the first few survivors are held. */
  paths: string[];
}

/** The reachable nodes `keep` picks, grouped by constructor (or node type), each group with a few retainer paths. */
function groupNodes(heap: HeapSnapshot, keep: (n: number) => boolean, pathsPerGroup: number): SurvivorGroup[] {
  const groups = new Map<string, { count: number; bytes: number; nodes: number[] }>();
  for (let n = 0; n < heap.nodeCount; n++) {
    if (!keep(n) || heap.distance(n) === Infinity) continue;
    const what = label(heap, n);
    const group = groups.get(what) ?? { count: 0, bytes: 0, nodes: [] };
    group.count++;
    group.bytes += heap.selfSize(n);
    if (group.nodes.length < pathsPerGroup) group.nodes.push(n);
    groups.set(what, group);
  }
  return [...groups].map(([what, g]) => ({ what, count: g.count, bytes: g.bytes, paths: g.nodes.map((n) => retainerPath(heap, n)) }));
}

/**
 * What was allocated after `since` (an earlier snapshot's maxId), up to `until` (a later one's),
 * and is still reachable in `heap`, grouped by constructor (or node type), biggest first.
 */
export function survivorsSince(heap: HeapSnapshot, since: number, until = Infinity, pathsPerGroup = 3): SurvivorGroup[] {
  return groupNodes(heap, (n) => counted(heap.id(n)) && heap.id(n) > since && heap.id(n) <= until, pathsPerGroup).sort((a, b) => b.bytes - a.bytes);
}

/** The DOM nodes out of the document that something still holds, grouped as survivorsSince does, most first. */
export function detachedNodes(heap: HeapSnapshot, pathsPerGroup = 3): SurvivorGroup[] {
  return groupNodes(heap, (n) => heap.detached(n), pathsPerGroup).sort((a, b) => b.count - a.count);
}
