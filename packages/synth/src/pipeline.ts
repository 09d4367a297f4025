import { AirlockError, createRng } from '@airlock/core';
import { stratifiedSplit } from '@airlock/metrics';
import { DEFAULT_RELEASE_THRESHOLDS, releaseDecision } from './gate.ts';
import type { ReleaseDecision, ReleaseThresholds } from './gate.ts';
import { fitGenerator, sampleRows } from './generator.ts';
import type { FitOptions } from './generator.ts';
import type { GeneratorModel } from './model.ts';
import { fitPrivateGenerator } from './private-generator.ts';
import type { PrivateFitAccount, PrivateFitOptions } from './private-generator.ts';
import { privacyReport } from './privacy.ts';
import type { PrivacyReport } from './privacy.ts';
import { qualityReport } from './quality.ts';
import type { QualityReport } from './quality.ts';
import type { SynthRow, SynthTable } from './types.ts';
import { utilityReport } from './utility.ts';
import type { RealSplit, UtilityReport } from './utility.ts';

/** Steps of {@link synthesize}, in order, as reported to `onProgress`. */
export type SynthPhase = 'split' | 'fit' | 'sample' | 'quality' | 'utility' | 'privacy' | 'decide';

export interface SynthesizeOptions {
  /** Synthetic rows to draw. */
  readonly rows: number;
  readonly seed: number | string;
  /** Label column: stratifies the split, roots the network, and enables the utility report. */
  readonly label?: string | undefined;
  /** The policy's min_count: rarer categories are folded (see {@link FitOptions.minCategoryCount}). */
  readonly minCategoryCount: number;
  /** Share of real rows held out from fitting, for the utility and privacy reports (default 0.2). */
  readonly holdoutFraction?: number | undefined;
  /** Release gate limits (default 1.15 and 0.55; a policy's synthetic zone carries its own). */
  readonly thresholds?: ReleaseThresholds | undefined;
  /** Generator settings beyond the defaults. */
  readonly generator?: Pick<FitOptions, 'maxParents' | 'numericBins' | 'smoothing' | 'structureSampleRows'> | undefined;
  /**
   * Fit with differential privacy instead (see fitPrivateGenerator): ρ, δ, contribution bound,
   * public domains. `subjects` lists each row's subject, in the order of the table's rows.
   */
  readonly private?: Omit<PrivateFitOptions, 'seed' | 'label'> | undefined;
  /** Called as each phase starts. */
  readonly onProgress?: ((phase: SynthPhase) => void) | undefined;
}

/** Wall-clock milliseconds per phase. */
export type SynthTimings = Readonly<Record<SynthPhase | 'total', number>>;

export interface SynthesisResult {
  readonly model: GeneratorModel;
  /** Synthetic rows: publish only when `decision.kind` is `publish`. */
  readonly rows: SynthRow[];
  readonly reports: {
    /** Synthetic vs the real training part (what the generator saw). */
    readonly quality: QualityReport;
    /** Undefined without a label. */
    readonly utility: UtilityReport | undefined;
    readonly privacy: PrivacyReport;
  };
  readonly decision: ReleaseDecision;
  readonly timings: SynthTimings;
  /** How the privacy loss was spent, for a private fit; undefined otherwise. */
  readonly privateAccount: PrivateFitAccount | undefined;
}

/**
 * The whole synthetic release in memory: split the real rows into training and holdout parts
 * (stratified on the label when given, by seed), fit the generator on the training part only,
 * sample, measure quality, utility and privacy against the two parts, and apply the release gate.
 * Fake identifiers are redrawn where they equal a real value of their column.
 */
export function synthesize(table: SynthTable, options: SynthesizeOptions): SynthesisResult {
  const holdoutFraction = options.holdoutFraction ?? 0.2;
  if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
    throw new AirlockError('BAD_REQUEST', `holdoutFraction must be between 0 and 1 (exclusive), got ${holdoutFraction}.`);
  }
  if (!(Number.isInteger(options.rows) && options.rows > 0)) {
    throw new AirlockError('BAD_REQUEST', `rows must be a positive integer, got ${options.rows}.`);
  }
  const timings: Record<string, number> = {};
  const started = performance.now();
  const phase = <T>(name: SynthPhase, work: () => T): T => {
    options.onProgress?.(name);
    const start = performance.now();
    const result = work();
    timings[name] = performance.now() - start;
    return result;
  };

  const split = phase('split', () => splitRows(table, options.label, holdoutFraction, options.seed));
  const { model, account } = phase('fit', () => fit(table, split, options));
  const rows = phase('sample', () => sampleRows(model, options.rows, options.seed, { avoid: realIdentifiers(table) }));
  const quality = phase('quality', () => qualityReport(split.train, rows, table.columns));
  const utility = phase('utility', () => (options.label === undefined ? undefined : utilityReport(split, rows, table.columns, { label: options.label })));
  const privacy = phase('privacy', () => privacyReport(split, rows, table.columns, { seed: options.seed }));
  const decision = phase('decide', () => releaseDecision(privacy, options.thresholds ?? DEFAULT_RELEASE_THRESHOLDS));
  timings.total = performance.now() - started;
  return { model, rows, reports: { quality, utility, privacy }, decision, timings: timings as SynthTimings, privateAccount: account };
}

function fit(table: SynthTable, split: RealSplit, options: SynthesizeOptions): { model: GeneratorModel; account: PrivateFitAccount | undefined } {
  const train = { columns: table.columns, rows: split.train };
  if (options.private === undefined) {
    return { model: fitGenerator(train, { ...options.generator, seed: options.seed, minCategoryCount: options.minCategoryCount, label: options.label }), account: undefined };
  }
  const { subjects } = options.private;
  // The subjects of the training rows, found by identity in the full table.
  const subjectOf = subjects === undefined ? undefined : subjectsOfRows(table.rows, subjects, split.train);
  return fitPrivateGenerator(train, { ...options.private, subjects: subjectOf, seed: options.seed, label: options.label });
}

function subjectsOfRows(rows: readonly SynthRow[], subjects: readonly unknown[], picked: readonly SynthRow[]): unknown[] {
  if (subjects.length !== rows.length) throw new AirlockError('BAD_REQUEST', `private.subjects has ${subjects.length} entries for ${rows.length} rows.`);
  const index = new Map<SynthRow, number>();
  rows.forEach((row, i) => index.set(row, i));
  return picked.map((row) => subjects[index.get(row)!]);
}

/**
 * Seeded split of the real rows into training and holdout parts; stratified on the label (each
 * label value keeps its share in both parts) when one is given, a plain shuffle otherwise.
 */
export function splitRows(table: SynthTable, label: string | undefined, holdoutFraction: number, seed: number | string): RealSplit {
  const n = table.rows.length;
  let trainIndices: ArrayLike<number>;
  let holdoutIndices: ArrayLike<number>;
  if (label !== undefined) {
    const codes = new Map<string, number>();
    const labels = table.rows.map((row) => {
      const key = String(row[label] ?? '\u0000null');
      let code = codes.get(key);
      if (code === undefined) {
        code = codes.size;
        codes.set(key, code);
      }
      return code;
    });
    const [train, holdout] = stratifiedSplit(labels, [1 - holdoutFraction, holdoutFraction], `${String(seed)}:split`);
    trainIndices = train ?? [];
    holdoutIndices = holdout ?? [];
  } else {
    const order = createRng(`${String(seed)}:split`).shuffle(Array.from({ length: n }, (_, i) => i));
    const cut = Math.round(n * (1 - holdoutFraction));
    trainIndices = order.slice(0, cut).sort((a, b) => a - b);
    holdoutIndices = order.slice(cut).sort((a, b) => a - b);
  }
  return { train: Array.from(trainIndices, (i) => table.rows[i]!), holdout: Array.from(holdoutIndices, (i) => table.rows[i]!) };
}

function realIdentifiers(table: SynthTable): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const column of table.columns) {
    if (column.kind !== 'identifier') continue;
    const values = new Set<string>();
    for (const row of table.rows) {
      const value = row[column.name];
      if (value !== null && value !== undefined) values.add(String(value));
    }
    out.set(column.name, values);
  }
  return out;
}
