/**
 * Freezes a value and everything it holds, so a policy handed to one request cannot be changed
 * under another. Returns the same value, typed as given.
 */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
