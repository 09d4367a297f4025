import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import type { PolicyProblem, SourcePosition } from './model.ts';
import { problem } from './problem.ts';

/** A path into the parsed YAML: mapping keys and sequence indexes. */
export type YamlPath = readonly (string | number)[];

/**
 * Finds where a path sits in the file. `key` points at the mapping key (for unknown or misplaced
 * keys), `value` at the value (for bad values). A path that does not exist resolves to its nearest
 * existing ancestor, so every problem still gets a line.
 */
export type Locator = (path: YamlPath, at?: 'key' | 'value') => SourcePosition;

/** A parsed YAML file: its data, a way to find positions in it, and its syntax problems. */
export interface YamlSource {
  /** The document as plain JavaScript data; undefined when the YAML does not parse. */
  readonly value: unknown;
  readonly locate: Locator;
  readonly problems: readonly PolicyProblem[];
}

/** Parses YAML text, keeping the positions of every node and reporting syntax errors with their line. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  // prettyErrors would append a multi-line code excerpt; problems are one line each.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const positionAt = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const locate: Locator = (path, at = 'value') => positionAt(offsetOf(doc.contents, path, at));

  const problems: PolicyProblem[] = [];
  for (const error of doc.errors) {
    problems.push(
      problem('error', positionAt(error.pos[0]), 'yaml-syntax', `YAML syntax error (${error.code}): ${firstLine(error.message)}`, yamlFix(error.code)),
    );
  }
  for (const warning of doc.warnings) {
    problems.push(problem('warning', positionAt(warning.pos[0]), 'yaml-warning', `YAML: ${firstLine(warning.message)}`, 'rewrite the value in plain YAML 1.2'));
  }
  if (doc.errors.length > 0) return { value: undefined, locate, problems };
  return { value: doc.toJS({ maxAliasCount: 100 }), locate, problems };
}

function yamlFix(code: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'keep one of the two keys; YAML mappings may not repeat a key';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and that every { and [ on this line or above is closed';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    default:
      return 'correct the YAML syntax at this position';
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/\.$/u, '');
}

function offsetOf(root: unknown, path: YamlPath, at: 'key' | 'value'): number {
  let node: unknown = root;
  let keyNode: unknown;
  for (const segment of path) {
    const found = child(node, segment);
    if (found === undefined) break;
    keyNode = found.key;
    node = found.value;
  }
  const target = at === 'key' && keyNode !== undefined ? keyNode : node;
  // An empty value (`subject:`) has no text of its own; its key is where the reader looks.
  if (isScalar(target) && target.value === null && target.source === '' && keyNode !== undefined) return startOf(keyNode);
  return startOf(target ?? keyNode);
}

function child(node: unknown, segment: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item: Pair) => keyText(item.key) === String(segment));
    return pair === undefined ? undefined : { key: pair.key, value: pair.value ?? pair.key };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item: unknown = node.items[segment];
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function startOf(node: unknown): number {
  const range = (node as YamlNode | null | undefined)?.range;
  return range?.[0] ?? 0;
}
