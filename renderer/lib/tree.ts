// Helpers over the packet-details tree (contract TreeNode): stable paths for selection, a
// memory of which subtrees are open that survives moving to the next packet (as Wireshark keeps
// "IPv4" open once you opened it), the flat list of visible lines, and the field under a byte.
import type { TreeNode } from '../../app/session/contract.js';

/** A node's position: child indices from the top, joined by '/' ("2/0/3"). */
export type NodePath = string;

export interface VisibleLine {
  path: NodePath;
  node: TreeNode;
  level: number;
  /** Which subtree this is, independent of the packet (field names of its ancestors). */
  key: string;
  hasChildren: boolean;
  expanded: boolean;
  parent: NodePath | null;
}

export function nodeKey(parentKey: string, node: TreeNode): string {
  // Text-only lines have no field name; their label without numbers is stable enough.
  const own = node.field !== '' ? node.field : node.label.replace(/[0-9]+/g, '#');
  return parentKey === '' ? own : parentKey + '>' + own;
}

export function nodeAt(tree: readonly TreeNode[], path: NodePath): TreeNode | undefined {
  let list: readonly TreeNode[] | undefined = tree;
  let node: TreeNode | undefined;
  for (const part of path.split('/')) {
    node = list?.[Number(part)];
    if (!node) return undefined;
    list = node.children;
  }
  return node;
}

/** The open-subtree key of the node at `path`. */
export function keyAt(tree: readonly TreeNode[], path: NodePath): string {
  let list: readonly TreeNode[] | undefined = tree;
  let key = '';
  for (const part of path.split('/')) {
    const node: TreeNode | undefined = list?.[Number(part)];
    if (!node) break;
    key = nodeKey(key, node);
    list = node.children;
  }
  return key;
}

export function visibleLines(tree: readonly TreeNode[], expanded: ReadonlySet<string>): VisibleLine[] {
  const out: VisibleLine[] = [];
  const walk = (nodes: readonly TreeNode[], level: number, parentPath: NodePath | null, parentKey: string) => {
    nodes.forEach((node, i) => {
      const path = parentPath === null ? String(i) : `${parentPath}/${i}`;
      const key = nodeKey(parentKey, node);
      const hasChildren = (node.children?.length ?? 0) > 0;
      const isOpen = hasChildren && expanded.has(key);
      out.push({ path, node, level, key, hasChildren, expanded: isOpen, parent: parentPath });
      if (isOpen) walk(node.children!, level + 1, path, key);
    });
  };
  walk(tree, 1, null, '');
  return out;
}

/** Keys of every ancestor of `path` (to open them so the node becomes visible). */
export function ancestorKeys(tree: readonly TreeNode[], path: NodePath): string[] {
  const parts = path.split('/');
  const keys: string[] = [];
  for (let n = 1; n < parts.length; n++) keys.push(keyAt(tree, parts.slice(0, n).join('/')));
  return keys;
}

/**
 * The deepest node with bytes in data source `source` covering `offset` (what Wireshark
 * selects when you click a byte). Among siblings covering it the narrowest wins, so a bit field
 * inside a flags word loses to nothing narrower but a one-byte field beats a header.
 */
export function deepestNodeAt(tree: readonly TreeNode[], source: number, offset: number): NodePath | null {
  let best: NodePath | null = null;
  const walk = (nodes: readonly TreeNode[], parentPath: string | null) => {
    let pick: { i: number; node: TreeNode } | null = null;
    nodes.forEach((node, i) => {
      if (node.length > 0 && node.source === source && offset >= node.start && offset < node.start + node.length) {
        if (!pick || node.length < pick.node.length) pick = { i, node };
      }
    });
    // Generated and zero-length nodes can still hold covering children (a text line above a
    // group): look inside every node, but only covering ones can be chosen.
    if (pick) {
      const { i, node } = pick as { i: number; node: TreeNode };
      const path = parentPath === null ? String(i) : `${parentPath}/${i}`;
      best = path;
      if (node.children) walk(node.children, path);
      return;
    }
    nodes.forEach((node, i) => {
      if (node.children && node.length === 0) walk(node.children, parentPath === null ? String(i) : `${parentPath}/${i}`);
    });
  };
  walk(tree, null);
  return best;
}

/** The value part of a label ("Source Port: 443" → "443"). */
export function labelValue(label: string): string {
  const colon = label.indexOf(': ');
  return colon >= 0 ? label.slice(colon + 2) : label;
}
