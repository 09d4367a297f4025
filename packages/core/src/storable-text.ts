/**
 * Text PostgreSQL cannot store as it is: a NUL character (refused in `text` and `jsonb`) or an
 * unpaired UTF-16 surrogate (no UTF-8 form; it would be stored as U+FFFD, so what was hashed and
 * what was stored would differ).
 */
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with every NUL and unpaired surrogate replaced by U+FFFD (the replacement character). */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** A JSON-like value with {@link storableText} applied to every string in it, keys included. */
export function storableValue<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => storableValue(item)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [storableText(key), storableValue(item)])) as T;
  }
  return value;
}

/**
 * Where in a JSON-like value the first NUL or unpaired surrogate is, as a path such as
 * `variables.filter.name` (keys count too); undefined when there is none.
 */
export function findUnstorableText(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    UNSTORABLE.lastIndex = 0;
    return UNSTORABLE.test(value) ? path : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findUnstorableText(key, `${path}.<key>`) ?? findUnstorableText(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
