/**
 * A table's own entry for a key typed by a user, or undefined. A plain
 * `table[key]` answers "constructor" or "__proto__" with what every object
 * inherits, which would pass for a match.
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
