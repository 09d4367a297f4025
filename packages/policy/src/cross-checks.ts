import { basename, extname } from 'node:path';
import { error, type CheckContext } from './check-context.ts';
import { checkColumns, checkSubject } from './column-checks.ts';
import { checkDeidentified } from './deidentified-checks.ts';
import type { PolicyProblem } from './model.ts';
import { checkAccepts } from './safe-harbor.ts';
import { checkSynthetic } from './synthetic-checks.ts';
import { checkAggregate, checkDuplicates, checkRoles, checkTraining } from './zone-checks.ts';

/** Every cross-field check of a dataset policy that passed the schema. Errors only. */
export function crossCheck(ctx: CheckContext): PolicyProblem[] {
  return [
    ...checkDatasetName(ctx),
    ...checkSubject(ctx),
    ...checkColumns(ctx),
    ...checkAggregate(ctx),
    ...checkDeidentified(ctx),
    ...checkSynthetic(ctx),
    ...checkTraining(ctx),
    ...checkRoles(ctx),
    ...checkDuplicates(ctx),
    ...checkAccepts(ctx),
  ];
}

/** One file per dataset, named after it, so `policies/<dataset>.yaml` is where to look. */
function checkDatasetName(ctx: CheckContext): PolicyProblem[] {
  const file = ctx.policy.source.file;
  const stem = basename(file, extname(file));
  const { dataset } = ctx.policy;
  if (stem === dataset) return [];
  return [
    error(
      ctx.locate(['dataset']),
      'dataset-name',
      `dataset "${dataset}" does not match the file name "${basename(file)}"`,
      `set dataset: ${stem}, or rename the file to ${dataset}${extname(file) || '.yaml'}`,
    ),
  ];
}
