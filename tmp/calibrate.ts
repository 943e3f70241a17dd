import { auditSuppression, flatDimension, marginRelations, primarySuppression, secondarySuppression, tableFromInterior } from '../libs/research/src/disclosure/index.js';
for (const [rows, cols] of [[20, 5], [50, 8], [100, 10], [200, 10], [581, 5]]) {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const r = Array.from({ length: rows }, (_, i) => `r${i}`);
  const c = Array.from({ length: cols }, (_, i) => `c${i}`);
  const cells = [];
  for (const a of r) for (const b of c) cells.push({ coordinates: [a, b], value: Math.floor(rand() ** 3 * 60) });
  const table = tableFromInterior([flatDimension('a', r), flatDimension('b', c)], cells, { additive: true });
  const relations = marginRelations(table);
  const primary = new Set(primarySuppression(table, { k: 10, dominance: { n: 1, percent: 101 } }).keys());
  let started = performance.now();
  const budget = { work: 1e15 };
  try { auditSuppression(table, primary, relations, budget); } catch (e) { console.log('err', String(e)); }
  const auditMs = performance.now() - started;
  console.log(rows, cols, 'primary', primary.size, 'one audit: work', (1e15 - budget.work).toExponential(2), 'ms', auditMs.toFixed(0), 'ns/unit', ((auditMs * 1e6) / (1e15 - budget.work || 1)).toFixed(1));
  if (rows * cols > 1000) continue;
  started = performance.now();
  const result = secondarySuppression(table, primary, () => 10, relations);
  console.log('   full secondary: suppressed', result.size, 'ms', (performance.now() - started).toFixed(0));
}
