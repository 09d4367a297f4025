/*
 * @airlock/risk: re-identification risk of record-level views and the generalization that meets
 * a policy's k and l targets. Pure: integer-coded columns in, measures and generalized labels out.
 */
export { encodeColumn, groupRows, type EncodedColumn, type Grouping } from './encode.ts';
export { buildHierarchy, SUPPRESSED_VALUE, type Hierarchy, type HierarchyLevel, type HierarchySpec } from './hierarchy.ts';
export { buildSnapshot, type QuasiIdentifier, type RiskTable, type SensitiveColumn, type Snapshot } from './snapshot.ts';
export { evaluateNode, type Node, type NodeEvaluation, type RiskTargets } from './evaluate.ts';
export { measure, type ClassSizeBucket, type RiskMeasures } from './measures.ts';
export { searchGeneralization, type SearchOptions, type SearchResult } from './search.ts';
export { generalizedView, type GeneralizedView } from './apply.ts';
export { anonymize, assess, type AnonymizeOptions, type Blocker, type ColumnGeneralization, type RiskReport } from './anonymize.ts';
export { hierarchySpecOf, riskTableOf, type ColumnSource } from './policy-table.ts';
export { generalizeLike, realPersonMatches, type RealPersonMatches } from './released-view.ts';
