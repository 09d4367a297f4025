import { listAuditEvents, createAuditLog, type AuditEvent, type AuditFilter } from '@airlock/audit';
import { AirlockError, type Zone } from '@airlock/core';
import { sqlRunner } from '@airlock/db';
import { openValue, tokenize, normalizeValue } from '@airlock/deid';
import { sql } from 'kysely';
import { aggregateRules, allowedColumns, canRead, isSteward, type AggregateRules, type ColumnView } from '@airlock/policy';
import { latestRelease, type ReleaseRecord } from '@airlock/releases';
import type { Principal } from '../auth/index.ts';
import { latestRiskReport, listRejects, type RejectPage, type RiskReportRecord } from '@airlock/ingest';
import type { PolicySnapshot } from '../policy-store.ts';
import { listSpending, resetBudget } from '@airlock/ledger';
import { budgetPeriod } from '@airlock/privacy';
import { appendInTransaction } from '@airlock/audit';
import {
  budgetStatus,
  estimateAggregateQuery,
  readBudget,
  releaseAggregateQuery,
  type AggregateDeps,
  type AggregateEstimate,
  type AggregateQuery,
  type AggregateResult,
  type BudgetStatus,
} from './aggregate.service.ts';
import { countRecords, queryRecords, type RecordPage, type RecordQuery, type RecordZone } from './records.repository.ts';
import type { OperationUsage, RepositoryDeps } from './repository-deps.ts';
import { createFeedbackAccess, type FeedbackAccess } from './model-feedback.ts';
import { createTrainingAccess, type TrainingAccess } from './training.ts';

/**
 * The one way resolvers reach data. Bound to one caller and one policy snapshot: every method
 * asks the pure policy decisions first, then reads inside `withZone` as the zone's role, and
 * records what it touched for the operation's audit event.
 */
export interface Repository extends TrainingAccess, FeedbackAccess {
  records(dataset: string, zone: RecordZone, args: RecordQuery): Promise<RecordPage>;
  /** The columns of a zone the caller may read, in order (refused like records). */
  recordColumns(dataset: string, zone: RecordZone): string[];
  /** How many records of a zone match the filters. */
  recordCount(dataset: string, zone: RecordZone, where: Record<string, unknown> | undefined): Promise<number>;
  columns(dataset: string, zone: Zone): readonly ColumnView[];
  /** A differentially private aggregate paid from the caller's budget (exact for stewards). */
  aggregate(dataset: string, query: AggregateQuery): Promise<AggregateResult>;
  /** What an aggregate would cost and how accurate it would be; free. */
  aggregateEstimate(dataset: string, query: AggregateQuery): Promise<AggregateEstimate>;
  /** The caller's privacy-loss budget on a dataset in the current period. */
  privacyBudget(dataset: string): Promise<BudgetStatus>;
  /** Every analyst's spending on a dataset this period (stewards). */
  privacyBudgets(dataset: string): Promise<BudgetStatus[]>;
  /** Reset one analyst's spending this period (stewards; audited). */
  resetPrivacyBudget(dataset: string, analyst: string): Promise<BudgetStatus>;
  detokenize(dataset: string, token: string, purpose: string): Promise<{ value: string; domain: string }>;
  auditEvents(filter: AuditFilter, page: { limit: number; beforeSeq?: number }): Promise<AuditEvent[]>;
  /** The newest re-identification risk report of a dataset's deidentified zone (stewards). */
  riskReport(dataset: string): Promise<RiskReportRecord | undefined>;
  /** Records ingest rejected, raw as read (stewards of the dataset; audited as a restricted read). */
  ingestRejects(dataset: string, query: { loadId?: number | undefined; limit: number; offset: number }): Promise<RejectPage>;
  /** The newest synthetic release of a dataset (published or refused), with its reports. */
  syntheticRelease(dataset: string): Promise<ReleaseRecord | undefined>;
}

// Authorization failures are deliberately vague: naming the missing role or zone would tell a
// caller which datasets exist and how they are protected.
function forbidden(): AirlockError {
  return new AirlockError('FORBIDDEN', 'Not allowed.');
}

export function createRepository(deps: RepositoryDeps, principal: Principal, snapshot: PolicySnapshot, usage: OperationUsage): Repository {
  const { set } = snapshot;
  const roles = principal.roles;
  const touch = (dataset: string, zone: string): void => {
    if (!usage.touched.some((t) => t.dataset === dataset && t.zone === zone)) usage.touched.push({ dataset, zone });
  };
  const deny = (dataset: string, zone: string): never => {
    touch(dataset, zone);
    usage.denied = true;
    throw forbidden();
  };
  const columns = (dataset: string, zone: Zone): readonly ColumnView[] => {
    const decision = allowedColumns(set, roles, dataset, zone);
    return decision.kind === 'allow' ? decision.columns : deny(dataset, zone);
  };

  const caller = { subject: principal.subject, roles };
  const aggregateDeps: AggregateDeps = { database: deps.database, maxCells: deps.config.maxAggregateCells, statementTimeoutMs: deps.config.statementTimeoutMs };
  const aggregateAccess = (dataset: string): AggregateRules => {
    const rules = aggregateRules(set, roles, dataset);
    if (rules.kind === 'deny') return deny(dataset, 'aggregate');
    touch(dataset, 'aggregate');
    return rules;
  };
  // Budgets of others are steward business: a steward of the dataset's restricted zone.
  const stewardAggregateAccess = (dataset: string): AggregateRules => {
    const rules = aggregateRules(set, roles, dataset);
    if (rules.kind === 'deny' || !rules.exact) return deny(dataset, 'aggregate');
    touch(dataset, 'aggregate');
    return rules;
  };

  return {
    ...createTrainingAccess(deps, principal, set, usage, touch),
    ...createFeedbackAccess(deps, principal, set, usage, touch),
    columns,
    async records(dataset, zone, args) {
      const allowed = columns(dataset, zone);
      if (args.first < 1 || args.first > deps.config.pageSizeMax) {
        throw new AirlockError('BAD_REQUEST', `first must be from 1 to ${deps.config.pageSizeMax}.`);
      }
      touch(dataset, zone);
      const page = await queryRecords(deps.database, zone, dataset, allowed, args, deps.config.statementTimeoutMs);
      usage.rows += page.rows.length;
      return page;
    },
    recordColumns(dataset, zone) {
      return columns(dataset, zone).map((c) => c.name);
    },
    async recordCount(dataset, zone, where) {
      const allowed = columns(dataset, zone);
      touch(dataset, zone);
      return countRecords(deps.database, zone, dataset, allowed, where, deps.config.statementTimeoutMs);
    },
    async aggregate(dataset, query) {
      const rules = aggregateAccess(dataset);
      const result = await releaseAggregateQuery(aggregateDeps, caller, set.datasets.get(dataset)!, rules, query);
      usage.rows += result.cells.length;
      usage.cellsSuppressed += result.suppressedCount;
      return result;
    },
    async aggregateEstimate(dataset, query) {
      return estimateAggregateQuery(aggregateDeps, caller, set.datasets.get(dataset)!, aggregateAccess(dataset), query);
    },
    async privacyBudget(dataset) {
      return readBudget(aggregateDeps, caller, dataset, aggregateAccess(dataset));
    },
    async privacyBudgets(dataset) {
      const rules = stewardAggregateAccess(dataset);
      const period = budgetPeriod(rules.privacy.period, new Date());
      const rows = await deps.database.withZone('ledger', (trx) => listSpending(trx, dataset, period.start));
      return rows.map((r) => budgetStatus(rules, { analyst: r.analyst, dataset, periodStart: period.start }, period, r.spentRho));
    },
    async resetPrivacyBudget(dataset, analyst) {
      const rules = stewardAggregateAccess(dataset);
      const now = new Date();
      const period = budgetPeriod(rules.privacy.period, now);
      const key = { analyst, dataset, periodStart: period.start };
      await deps.database.transact(async (step) => {
        const spent = await step('ledger', (trx) => resetBudget(trx, key));
        await step('audit', (trx) =>
          appendInTransaction(
            sqlRunner(trx),
            { type: 'budget.reset', actor: principal.subject, roles, action: 'resetPrivacyBudget', dataset, zone: 'aggregate', outcome: 'allowed', details: { analyst, periodStart: period.start, spentRho: spent } },
            now,
          ),
        );
      });
      return budgetStatus(rules, key, period, 0);
    },
    async detokenize(dataset, token, purpose) {
      if (!isSteward(set, roles) || canRead(set, roles, dataset, 'restricted').kind === 'deny') return deny(dataset, 'restricted');
      if (purpose.trim().length < 10) {
        throw new AirlockError('BAD_REQUEST', 'State the purpose of the detokenization in at least 10 characters; it is written to the audit log.');
      }
      const policy = set.datasets.get(dataset)!;
      const domains = policy.columns.flatMap((c) => (c.deidentified.kind === 'tokenize' && c.deidentified.reversible ? [c.deidentified] : []));
      touch(dataset, 'restricted');
      usage.detokenized += 1;
      // Audit first, fail closed: no event, no value.
      await createAuditLog(deps.database).append({
        type: 'detokenize',
        actor: principal.subject,
        roles,
        action: 'detokenize',
        dataset,
        zone: 'restricted',
        outcome: 'allowed',
        details: { token, purpose: purpose.slice(0, 500) },
      });
      const entry = await deps.database.withZone('restricted', (trx) =>
        trx
          .selectFrom('restricted.vault')
          .select(['domain', 'sealed'])
          .where('kind', '=', 'token')
          .where('public_value', '=', token)
          .where('domain', '=', sql<string>`any(${domains.map((d) => d.domain)}::text[])`)
          .executeTakeFirst(),
      );
      if (!entry) throw new AirlockError('NOT_FOUND', `No reversible token ${token} in ${dataset}.`);
      const keys = deps.keys();
      const value = openValue(keys, entry.domain, entry.sealed);
      // The vault binds a sealed value to its domain, not to its token; re-deriving the token
      // catches a sealed value moved between vault rows.
      const spec = domains.find((d) => d.domain === entry.domain)!;
      const version = Number(/^tk(\d+)_/.exec(token)?.[1] ?? keys.currentVersion());
      if (tokenize(keys, { domain: spec.domain, caseFold: spec.caseFold }, normalizeValue(value, spec.caseFold), version) !== token) {
        throw new AirlockError('INTERNAL', 'The vault entry does not match its token.');
      }
      return { value, domain: entry.domain };
    },
    async riskReport(dataset) {
      if (!isSteward(set, roles) || canRead(set, roles, dataset, 'restricted').kind === 'deny') return deny(dataset, 'restricted');
      touch(dataset, 'deidentified');
      return latestRiskReport(deps.database, dataset);
    },
    async ingestRejects(dataset, query) {
      if (!isSteward(set, roles) || canRead(set, roles, dataset, 'restricted').kind === 'deny') return deny(dataset, 'restricted');
      touch(dataset, 'restricted');
      const page = await listRejects(deps.database, dataset, query);
      usage.rows += page.rows.length;
      return page;
    },
    async syntheticRelease(dataset) {
      if (canRead(set, roles, dataset, 'synthetic').kind === 'deny') return deny(dataset, 'synthetic');
      touch(dataset, 'synthetic');
      return latestRelease(deps.database, dataset, 'any');
    },
    async auditEvents(filter, page) {
      if (!isSteward(set, roles)) return deny('audit', 'audit');
      touch('audit', 'audit');
      const events = await listAuditEvents(deps.database, filter, page);
      usage.rows += events.length;
      return events;
    },
  };
}
