import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VisibleRows, type TreeModel } from '../../src/view-model/tree/visible-rows';

/** A plain tree of labelled nodes; the reference for what the visible rows must be. */
interface Plain {
  label: string;
  children: Plain[];
}

function makeTree(seed: number, depth: number, width: () => number, label = 'r'): Plain {
  const children: Plain[] = [];
  if (depth > 0) {
    const n = width();
    for (let i = 0; i < n; i++) children.push(makeTree(seed, depth - 1, width, `${label}.${i}`));
  }
  return { label, children };
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const plainModel: TreeModel<Plain> & { root: Plain } = {
  root: { label: '', children: [] },
  childCount: (n) => n.children.length,
  child: (n, i) => n.children[i],
  expandable: (n) => n.children.length > 0,
  content: (n) => ({ icon: 'file', label: { text: n.label, utf8: true } }),
};

/** Every visible row, computed the slow and obvious way. */
function flatten(root: Plain, open: Set<string>): { id: string; label: string; level: number; pos: number; setSize: number }[] {
  const rows: { id: string; label: string; level: number; pos: number; setSize: number }[] = [];
  const walk = (node: Plain, id: string, level: number) => {
    node.children.forEach((child, i) => {
      const childId = id === '' ? String(i) : `${id}.${i}`;
      rows.push({ id: childId, label: child.label, level, pos: i + 1, setSize: node.children.length });
      if (open.has(childId) && child.children.length > 0) walk(child, childId, level + 1);
    });
  };
  walk(root, '', 1);
  return rows;
}

function modelFor(root: Plain): TreeModel<Plain> {
  return { ...plainModel, root };
}

test('visible rows match a full flattening under random expand and collapse', () => {
  const rand = random(7);
  const root = makeTree(1, 4, () => Math.floor(rand() * 6), '');
  const tree = new VisibleRows(modelFor(root));
  const open = new Set<string>();
  for (let step = 0; step < 400; step++) {
    const expected = flatten(root, open);
    assert.equal(tree.rowCount, expected.length, `row count at step ${step}`);
    const rows = tree.rows(0, expected.length);
    assert.deepEqual(
      rows.map((r) => ({ id: r.id, label: r.label.text, level: r.level, pos: r.pos, setSize: r.setSize })),
      expected,
    );
    for (const row of rows) assert.equal(row.expanded, open.has(row.id) && row.expandable);
    if (expected.length === 0) break;
    // Toggle a random visible row, as a user would.
    const pick = expected[Math.floor(rand() * expected.length)];
    const next = !open.has(pick.id);
    const changed = tree.setExpanded(pick.id, next);
    const node = tree.nodeAt(pick.id)!;
    if (node.children.length === 0) {
      assert.equal(changed, false, 'leaves do not expand');
      continue;
    }
    if (next) open.add(pick.id);
    else open.delete(pick.id);
  }
});

test('a window in the middle of a huge flat list is answered directly', () => {
  const count = 1_000_000;
  let childCalls = 0;
  const model: TreeModel<number> = {
    root: -1,
    childCount: (n) => (n === -1 ? count : 0),
    child: (_n, i) => {
      childCalls++;
      return i;
    },
    expandable: () => false,
    content: (n) => ({ icon: 'file', label: { text: `item ${n}`, utf8: true } }),
  };
  const tree = new VisibleRows(model);
  assert.equal(tree.rowCount, count);
  const rows = tree.rows(654_321, 50);
  assert.equal(rows.length, 50);
  assert.equal(rows[0].label.text, 'item 654321');
  assert.equal(rows[49].id, '654370');
  assert.equal(childCalls, 50, 'only the requested rows are built');
  assert.deepEqual(
    tree.rows(count - 2, 10).map((r) => r.id),
    ['999998', '999999'],
  );
});

test('reveal expands ancestors and returns the row number; indexOfId finds visible rows only', () => {
  const root = makeTree(0, 3, () => 4, '');
  const tree = new VisibleRows(modelFor(root));
  assert.equal(tree.rowCount, 4);
  assert.equal(tree.indexOfId('2.3.1'), -1);
  const index = tree.reveal('2.3.1');
  const open = new Set(['2', '2.3']);
  const expected = flatten(root, open);
  assert.equal(
    index,
    expected.findIndex((r) => r.id === '2.3.1'),
  );
  assert.equal(tree.rows(index, 1)[0].id, '2.3.1');
  assert.equal(tree.indexOfId('2.3.1'), index);
  assert.deepEqual(tree.expandedIds(), ['2', '2.3']);
  assert.equal(tree.reveal('9'), -1, 'no such row');
  assert.equal(tree.reveal('2.3.1.0'), -1, 'below a leaf');
  assert.equal(tree.reveal('x'), -1, 'not an id');
});

test('collapsing keeps nested expansion for when the parent opens again', () => {
  const root = makeTree(0, 3, () => 3, '');
  const tree = new VisibleRows(modelFor(root));
  tree.setExpanded('1', true);
  tree.setExpanded('1.2', true);
  const expanded = tree.rowCount;
  tree.setExpanded('1', false);
  assert.equal(tree.rowCount, 3);
  assert.deepEqual(tree.expandedIds(), []);
  tree.setExpanded('1', true);
  assert.equal(tree.rowCount, expanded);
  assert.deepEqual(tree.expandedIds(), ['1', '1.2']);
});

test('restore re-applies ids and skips those that no longer fit the tree', () => {
  const root = makeTree(0, 2, () => 2, '');
  const tree = new VisibleRows(modelFor(root));
  tree.restore(['1', '5', '1.1', '0.0.0', 'not-an-id']);
  assert.deepEqual(tree.expandedIds(), ['1']);
  assert.equal(tree.rowCount, 4);
});

test('expandWhere opens exactly the picked nodes under open parents, keeping what was open; collapseAll shows the top level', () => {
  // A node picked below one that was open already, but not picked itself.
  const small = makeTree(0, 3, () => 3, '');
  const bulk = new VisibleRows(modelFor(small));
  bulk.setExpanded('1', true);
  assert.equal(
    bulk.expandWhere((node) => node.label === '.1.2'),
    1,
  );
  assert.deepEqual(bulk.expandedIds(), ['1', '1.2']);

  const rand = random(11);
  const root = makeTree(2, 4, () => Math.floor(rand() * 5), '');
  for (let round = 0; round < 30; round++) {
    const tree = new VisibleRows(modelFor(root));
    const open = new Set<string>();
    // Some rows opened one by one first, as a user would.
    for (const row of flatten(root, open).slice(0, 8)) if (rand() < 0.5 && tree.setExpanded(row.id, true)) open.add(row.id);
    // Then every node whose label ends in an even digit, in one pass.
    const wanted = (node: Plain) => /[02468]$/.test(node.label);
    tree.expandWhere(wanted);
    const walk = (node: Plain, id: string) =>
      node.children.forEach((child, i) => {
        const childId = id === '' ? String(i) : `${id}.${i}`;
        if (child.children.length > 0 && (open.has(childId) || wanted(child))) {
          open.add(childId);
          walk(child, childId);
        }
      });
    walk(root, '');
    const expected = flatten(root, open);
    assert.equal(tree.rowCount, expected.length, `round ${round}`);
    assert.deepEqual(
      tree.rows(0, expected.length).map((r) => r.id),
      expected.map((r) => r.id),
    );
    // Toggling still works on a tree opened in bulk.
    const some = expected.find((r) => tree.nodeAt(r.id)!.children.length > 0);
    if (some) {
      tree.setExpanded(some.id, !open.has(some.id));
      if (open.has(some.id)) open.delete(some.id);
      else open.add(some.id);
      assert.deepEqual(
        tree.rows(0, tree.rowCount).map((r) => r.id),
        flatten(root, open).map((r) => r.id),
      );
    }
    tree.collapseAll();
    assert.equal(tree.rowCount, root.children.length);
    assert.deepEqual(tree.expandedIds(), []);
  }
});
