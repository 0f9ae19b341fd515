// The packet-details tree: one line per field as tshark -V prints it, opened and closed with
// the mouse or keys (Right/Left open/close or move to child/parent, Up/Down, Home/End, Enter or
// Space toggle, * opens everything below). Generated fields (tshark's [brackets]) are marked,
// expert notes coloured by severity. Which subtrees are open is remembered across packets.
import { useEffect, useMemo, useRef } from 'react';
import type { PacketDetail, TreeNode } from '../../app/session/contract.js';
import { nodeKey, visibleLines, type NodePath, type VisibleLine } from '../lib/tree.js';

export interface DetailTreeProps {
  detail: PacketDetail | null;
  expanded: ReadonlySet<string>;
  onExpandedChange(next: Set<string>): void;
  selected: NodePath | null;
  onSelect(path: NodePath): void;
  onMenu(e: React.MouseEvent, node: TreeNode, path: NodePath): void;
  /** What the pane says while a selected packet's fields are on their way. */
  loading?: string;
}

export function DetailTree({ detail, expanded, onExpandedChange, selected, onSelect, onMenu, loading }: DetailTreeProps) {
  const lines = useMemo(() => (detail ? visibleLines(detail.tree, expanded) : []), [detail, expanded]);
  const box = useRef<HTMLDivElement>(null);
  const at = lines.findIndex((l) => l.path === selected);

  useEffect(() => {
    if (at < 0) return;
    box.current?.querySelector(`[data-path="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [at, selected]);

  const toggle = (line: VisibleLine, open?: boolean) => {
    if (!line.hasChildren) return;
    const next = new Set(expanded);
    const want = open ?? !line.expanded;
    if (want) next.add(line.key);
    else next.delete(line.key);
    onExpandedChange(next);
  };

  const expandAll = (line: VisibleLine) => {
    const next = new Set(expanded);
    const walk = (node: TreeNode, key: string) => {
      if (!node.children?.length) return;
      next.add(key);
      for (const c of node.children) walk(c, nodeKey(key, c));
    };
    walk(line.node, line.key);
    onExpandedChange(next);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (lines.length === 0) return;
    const cur = at >= 0 ? lines[at]! : null;
    const go = (i: number) => onSelect(lines[Math.min(Math.max(0, i), lines.length - 1)]!.path);
    switch (e.key) {
      case 'ArrowDown':
        go(at + 1);
        break;
      case 'ArrowUp':
        go(at < 0 ? 0 : at - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(lines.length - 1);
        break;
      case 'ArrowRight':
        if (!cur) go(0);
        else if (cur.hasChildren && !cur.expanded) toggle(cur, true);
        else if (cur.hasChildren) go(at + 1);
        break;
      case 'ArrowLeft':
        if (!cur) break;
        if (cur.hasChildren && cur.expanded) toggle(cur, false);
        else if (cur.parent !== null) onSelect(cur.parent);
        break;
      case 'Enter':
      case ' ':
        if (cur) toggle(cur);
        break;
      case '*':
        if (cur) expandAll(cur);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div
      ref={box}
      className="detail-tree"
      role="tree"
      aria-label="Packet details"
      tabIndex={0}
      aria-activedescendant={at >= 0 ? `tree-${selected}` : undefined}
      onKeyDown={onKeyDown}
    >
      {!detail && <div className="pane-empty">{loading ?? 'Select a packet to see its fields.'}</div>}
      {lines.map((line) => {
        const { node } = line;
        const isSel = line.path === selected;
        const cls = ['tree-line', isSel ? 'selected' : '', node.generated ? 'generated' : '', node.expert ? `expert-${node.expert.severity}` : '']
          .filter(Boolean)
          .join(' ');
        return (
          <div
            key={line.path}
            id={`tree-${line.path}`}
            data-path={line.path}
            data-field={node.field || undefined}
            className={cls}
            role="treeitem"
            aria-level={line.level}
            aria-expanded={line.hasChildren ? line.expanded : undefined}
            aria-selected={isSel}
            title={treeTitle(node)}
            style={{ paddingLeft: `${(line.level - 1) * 16 + 4}px` }}
            onMouseDown={(e) => {
              if (e.button === 0 || e.button === 2) onSelect(line.path);
            }}
            onDoubleClick={() => toggle(line)}
            onContextMenu={(e) => {
              e.preventDefault();
              onMenu(e, node, line.path);
            }}
          >
            <span
              className={line.hasChildren ? (line.expanded ? 'twisty open' : 'twisty') : 'twisty leaf'}
              aria-hidden="true"
              onMouseDown={(e) => {
                if (e.button !== 0) return;
                e.stopPropagation();
                onSelect(line.path);
                toggle(line);
              }}
            />
            <span className="tree-label">{node.generated && !node.label.startsWith('[') ? `[${node.label}]` : node.label}</span>
          </div>
        );
      })}
    </div>
  );
}

function treeTitle(node: TreeNode): string {
  const parts: string[] = [];
  if (node.field) parts.push(node.field);
  if (node.length > 0) parts.push(`${node.length} byte${node.length === 1 ? '' : 's'} at ${node.start}`);
  if (node.generated) parts.push('generated by SynScope (not in the packet)');
  if (node.expert) parts.push(`${node.expert.severity}: ${node.expert.message}`);
  return parts.join(' · ');
}
