import type { PolicyProblem, SourcePosition } from './model.ts';

/** Builds a problem at a position. Messages and fixes carry no trailing period; {@link formatProblem} punctuates. */
export function problem(
  severity: PolicyProblem['severity'],
  at: SourcePosition,
  rule: string,
  message: string,
  fix: string,
): PolicyProblem {
  return { severity, file: at.file, line: at.line, column: at.column, message, fix, rule };
}

/**
 * One line for a terminal or a log: `policies/x.yaml:12:5: error: <message>. Fix: <fix>`.
 * Editors and CI annotators recognise the `file:line:column:` prefix.
 */
export function formatProblem(p: PolicyProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${trimPeriod(p.message)}. Fix: ${trimPeriod(p.fix)}`;
}

/** By file, line and column (errors before warnings at one position): the order a reader fixes them in. */
export function sortProblems(problems: readonly PolicyProblem[]): PolicyProblem[] {
  const rank = (p: PolicyProblem): number => (p.severity === 'error' ? 0 : 1);
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || rank(a) - rank(b),
  );
}

function trimPeriod(text: string): string {
  return text.replace(/\.+$/u, '');
}
