/** The prototypes every object shares: a property added to one of them reaches every object of the process. */
const SHARED = { 'Object.prototype': Object.prototype, Object, 'Array.prototype': Array.prototype, 'Function.prototype': Function.prototype };

/** The own property keys of each shared prototype, as a comparable snapshot. */
export function sharedPrototypes(): Record<string, string> {
  return Object.fromEntries(Object.entries(SHARED).map(([name, target]) => [name, Reflect.ownKeys(target).map(String).sort().join()]));
}

/** Which shared prototypes changed since `before` (a prototype pollution), by name; empty when none did. */
export function pollutedSince(before: Record<string, string>): string[] {
  const now = sharedPrototypes();
  return Object.keys(before).filter((name) => now[name] !== before[name]);
}
