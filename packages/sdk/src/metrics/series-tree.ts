/**
 * The series tree of a labelled metric: one level per label name, label value → next level,
 * the series at the last level. The root is a Map; a deeper node that holds one entry is a
 * `Single` (about 40 bytes instead of a Map's ~180), so a label whose every value is unique
 * costs no Map per series whichever level it sits at; it becomes a Map at its second entry.
 */
export class Single {
  constructor(
    readonly key: string,
    public next: unknown,
  ) {}
}

export type TreeNode = Map<string, unknown> | Single;

/** The entry under `key`, or undefined. */
export function step(node: TreeNode, key: string): unknown {
  return node instanceof Map ? node.get(key) : node.key === key ? node.next : undefined;
}

/** Visits each entry of a node. */
export function forEachEntry(node: TreeNode, visit: (key: string, next: unknown) => void): void {
  if (node instanceof Map) for (const [k, v] of node) visit(k, v);
  else visit(node.key, node.next);
}

/**
 * The series at `path`, or `create()` inserted there (unless it returns undefined). `root` must
 * be a Map; `path` has one value per level.
 */
export function getOrInsert<C>(
  root: Map<string, unknown>,
  path: readonly string[],
  create: () => C | undefined,
): C | undefined {
  let parent: TreeNode = root;
  for (let level = 0; level < path.length; level++) {
    const key = path[level]!;
    const found = step(parent, key);
    if (found !== undefined) {
      if (level === path.length - 1) return found as C;
      parent = found as TreeNode;
      continue;
    }
    const series = create();
    if (series === undefined) return undefined;
    // Build the missing chain bottom-up as Singles, then hang it under `parent`.
    let chain: unknown = series;
    for (let i = path.length - 1; i > level; i--) chain = new Single(path[i]!, chain);
    attach(root, path, level, parent, key, chain);
    return series;
  }
  return undefined;
}

/** Hangs `value` under `key` in `node` (at `level` of `path`), turning a Single into a Map. */
function attach(
  root: Map<string, unknown>,
  path: readonly string[],
  level: number,
  node: TreeNode,
  key: string,
  value: unknown,
): void {
  if (node instanceof Map) {
    node.set(key, value);
    return;
  }
  const map = new Map<string, unknown>([
    [node.key, node.next],
    [key, value],
  ]);
  // Replace the Single in its parent (one level up along the same path).
  let parent: TreeNode = root;
  for (let i = 0; i < level - 1; i++) parent = step(parent, path[i]!) as TreeNode;
  if (parent instanceof Map) parent.set(path[level - 1]!, map);
  else parent.next = map;
}

/** Removes the series at `path` and any level left empty; returns it, or undefined when absent. */
export function removePath(root: Map<string, unknown>, path: readonly string[]): unknown {
  const nodes: TreeNode[] = [root];
  for (let level = 0; level < path.length - 1; level++) {
    const next = step(nodes[level]!, path[level]!);
    if (next === undefined) return undefined;
    nodes.push(next as TreeNode);
  }
  const last = path.length - 1;
  const series = step(nodes[last]!, path[last]!);
  if (series === undefined) return undefined;
  // Walk up: delete the key; a node left empty is removed from its parent in turn.
  for (let level = last; level >= 0; level--) {
    const node = nodes[level]!;
    if (node instanceof Map) {
      node.delete(path[level]!);
      if (node.size > 0 || level === 0) break;
    }
    // A Single holding only this key is now empty: drop it from its parent.
  }
  return series;
}

/** Replaces the leaf at `path` (which must exist) with `value`. */
export function setLeaf(root: Map<string, unknown>, path: readonly string[], value: unknown): void {
  let node: TreeNode = root;
  const last = path.length - 1;
  for (let level = 0; level < last; level++) node = step(node, path[level]!) as TreeNode;
  if (node instanceof Map) node.set(path[last]!, value);
  else node.next = value;
}

/** Visits every leaf with its path (level order; the array is reused between calls). */
export function walkLeaves(
  root: Map<string, unknown>,
  levels: number,
  visit: (leaf: unknown, path: string[]) => void,
): void {
  const path = new Array<string>(levels).fill('');
  const descend = (node: TreeNode, level: number): void => {
    forEachEntry(node, (key, next) => {
      path[level] = key;
      if (level === levels - 1) visit(next, path);
      else descend(next as TreeNode, level + 1);
    });
  };
  descend(root, 0);
}
