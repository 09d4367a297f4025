import { GraphQLBoolean, GraphQLFloat, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLString } from 'graphql';
import type { Assessment } from '@airlock/ml';

/*
 * The card's assessment as the trainer stored it (JSON, so NaN figures came back as null).
 * A few figures are typed for clients that act on them; `json` holds all of it.
 */
type StoredAssessment = Partial<Assessment>;

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export const AssessmentType = new GraphQLObjectType<StoredAssessment>({
  name: 'ModelAssessment',
  description: 'How far the test metrics can be trusted and what the model leaks, measured when it was trained.',
  fields: {
    membershipAuc: {
      type: GraphQLFloat,
      description: 'ROC AUC of a loss-threshold membership-inference attack (training rows against held-out rows); 0.5 is guessing.',
      resolve: (a) => numberOrNull(a.membership?.auc),
    },
    membershipLimit: { type: GraphQLFloat, description: "The policy's training.max_membership_auc when the model was trained.", resolve: (a) => numberOrNull(a.membership?.limit) },
    membershipRows: { type: GraphQLInt, description: 'Members attacked, and as many held-out rows.', resolve: (a) => numberOrNull(a.membership?.members) },
    withinMembershipLimit: {
      type: GraphQLBoolean,
      description: 'False: the model cannot be promoted or served outside its zone (judged again at promotion against the limit in force then).',
      resolve: (a) => a.membership?.withinLimit ?? null,
    },
    testRows: { type: GraphQLInt, resolve: (a) => numberOrNull(a.test?.rows) },
    leakyFeatures: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))), resolve: (a) => a.leakage?.flagged ?? [] },
    warnings: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(GraphQLString))), resolve: (a) => a.warnings ?? [] },
    json: { type: new GraphQLNonNull(GraphQLString), description: 'The whole assessment: intervals, membership, leakage, subgroups, importance. JSON.', resolve: (a) => JSON.stringify(a) },
  },
});

/** The card's evaluation on the evaluation zone's hold-out, as the trainer stored it. */
interface StoredEvaluation {
  zone?: string;
  heldOutShare?: number;
  rows?: number;
  metrics?: Record<string, unknown>;
  intervals?: Record<string, { low?: unknown; high?: unknown } | undefined>;
  note?: string;
}

const evaluated = (name: string, description?: string) => ({
  type: GraphQLFloat,
  description,
  resolve: (e: StoredEvaluation) => numberOrNull(e.metrics?.[name]),
});

export const EvaluationType = new GraphQLObjectType<StoredEvaluation>({
  name: 'ModelEvaluation',
  description:
    "The model scored on real rows it never trained on: the policy's evaluation zone (training.evaluation_zone), a fixed share held out by row id for every model of the dataset. For a model trained on synthetic rows: how it does on real people.",
  fields: {
    zone: { type: new GraphQLNonNull(GraphQLString), resolve: (e) => e.zone ?? '' },
    heldOutShare: { type: GraphQLFloat, resolve: (e) => numberOrNull(e.heldOutShare) },
    rows: { type: new GraphQLNonNull(GraphQLInt), resolve: (e) => numberOrNull(e.rows) ?? 0 },
    rocAuc: evaluated('rocAuc'),
    accuracy: evaluated('accuracy'),
    f1: evaluated('f1'),
    rmse: evaluated('rmse'),
    mae: evaluated('mae'),
    r2: evaluated('r2'),
    rocAucCi95: {
      type: new GraphQLList(new GraphQLNonNull(GraphQLFloat)),
      description: '95% bootstrap interval of the ROC AUC.',
      resolve: (e) => {
        const interval = e.intervals?.['rocAuc'];
        const [low, high] = [numberOrNull(interval?.low), numberOrNull(interval?.high)];
        return low === null || high === null ? null : [low, high];
      },
    },
    note: { type: GraphQLString, description: 'Why nothing was scored, when so.', resolve: (e) => e.note ?? null },
    json: { type: new GraphQLNonNull(GraphQLString), resolve: (e) => JSON.stringify(e) },
  },
});
