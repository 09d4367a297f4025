import { AirlockError, type RecordZone } from '@airlock/core';
import { sqlRunner, type AirlockDatabase } from '@airlock/db';
import type { SerializedModel } from '@airlock/ml';

export interface ModelRecord {
  id: number;
  name: string;
  version: number;
  dataset: string;
  zone: RecordZone;
  kind: string;
  target: string;
  features: string[];
  metrics: Record<string, unknown>;
  card: Record<string, unknown>;
  createdBy: string;
  createdAt: Date;
  aliases: string[];
}

/**
 * The model registry. Versions, cards and aliases are catalog rows; each artifact is stored in
 * the schema of the zone it was trained on and read back under that zone's role.
 */
export class RegistryRepository {
  constructor(private readonly database: AirlockDatabase) {}

  /** Register a new version of `name` with its card and artifact; returns the model id and version. */
  async register(entry: {
    name: string;
    dataset: string;
    zone: ModelRecord['zone'];
    kind: string;
    target: string;
    features: string[];
    metrics: unknown;
    card: Record<string, unknown>;
    createdBy: string;
    artifact: SerializedModel;
  }): Promise<{ id: number; version: number }> {
    return this.database.bulk('catalog', async (session) => {
      await session.query(`select pg_advisory_xact_lock(hashtext($1))`, [`model:${entry.name}`]);
      const [next] = await session.query<{ v: number }>(`select coalesce(max(version), 0) + 1 as v from catalog.models where name = $1`, [entry.name]);
      const version = Number(next!.v);
      const card = { ...entry.card, name: entry.name, version };
      const [row] = await session.query<{ id: number }>(
        `insert into catalog.models (name, version, dataset, zone, kind, target, features, metrics, card, created_by)
         values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10) returning id`,
        [entry.name, version, entry.dataset, entry.zone, entry.kind, entry.target, JSON.stringify(entry.features), JSON.stringify(entry.metrics), JSON.stringify(card), entry.createdBy],
      );
      const id = Number(row!.id);
      await session.setRole(entry.zone);
      await session.query(`insert into ${entry.zone}.model_artifacts (model_id, artifact) values ($1, $2::jsonb)`, [id, JSON.stringify(entry.artifact)]);
      return { id, version };
    });
  }

  async list(filter: { dataset?: string | undefined; name?: string | undefined } = {}): Promise<ModelRecord[]> {
    const rows = await this.database.withZone('catalog', (trx) =>
      sqlRunner(trx).query<Record<string, unknown>>(
        `select m.*, coalesce((select array_agg(alias order by alias) from catalog.model_aliases a where a.model_id = m.id), '{}') as aliases
           from catalog.models m where ($1::text is null or dataset = $1) and ($2::text is null or name = $2) order by name, version desc`,
        [filter.dataset ?? null, filter.name ?? null],
      ),
    );
    return rows.map(toRecord);
  }

  /** A model by id (`42`) or by `name@alias` (`readmission@production`) or `name@v3`. */
  async resolve(ref: string): Promise<ModelRecord | undefined> {
    const rows = await this.database.withZone('catalog', (trx) => {
      const runner = sqlRunner(trx);
      const select = `select m.*, coalesce((select array_agg(alias order by alias) from catalog.model_aliases a where a.model_id = m.id), '{}') as aliases from catalog.models m`;
      if (/^\d+$/.test(ref)) return runner.query<Record<string, unknown>>(`${select} where m.id = $1`, [boundedNumber(ref, 'model id', ref)]);
      const match = /^([A-Za-z0-9_.-]+)@(?:v(\d+)|([A-Za-z0-9_-]+))$/.exec(ref);
      if (!match) throw new AirlockError('BAD_REQUEST', `"${ref}" is not a model reference: use an id (42), name@alias (readmission@production) or name@v3.`);
      if (match[2]) return runner.query<Record<string, unknown>>(`${select} where m.name = $1 and m.version = $2`, [match[1], boundedNumber(match[2], 'model version', ref)]);
      return runner.query<Record<string, unknown>>(
        `${select} join catalog.model_aliases a on a.model_id = m.id where a.name = $1 and a.alias = $2`,
        [match[1], match[3]],
      );
    });
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /**
   * Point `<name>@alias` at a model. `mayMove` decides, under a lock on the alias, whether the
   * alias may leave the model that holds it now (undefined: the alias is new): the caller checks
   * its rights over that model, so nobody captures an alias they could not have set. Returns the
   * promoted model and the id of the model that held the alias before (if any).
   */
  async promote(
    modelId: number,
    alias: string,
    mayMove: (current: ModelRecord | undefined) => void = () => undefined,
  ): Promise<{ model: ModelRecord; previousModelId: number | undefined }> {
    if (!/^[A-Za-z][A-Za-z0-9_-]{0,39}$/.test(alias)) throw new AirlockError('BAD_REQUEST', `Alias "${alias}" must be a letter then letters, digits, _ or - (e.g. production).`);
    const model = await this.resolve(String(modelId));
    if (!model) throw new AirlockError('NOT_FOUND', `No model ${modelId}.`);
    const previousModelId = await this.database.withZone(
      'catalog',
      async (trx) => {
        const runner = sqlRunner(trx);
        // Serialize moves of this alias, including its first promotion.
        await runner.query(`select pg_advisory_xact_lock(hashtext($1))`, [`alias:${model.name}@${alias}`]);
        const [held] = await runner.query<{ model_id: number }>(`select model_id from catalog.model_aliases where name = $1 and alias = $2`, [model.name, alias]);
        const currentId = held ? Number(held.model_id) : undefined;
        mayMove(currentId === undefined ? undefined : await this.resolveIn(runner, currentId));
        await runner.query(
          `insert into catalog.model_aliases (name, alias, model_id) values ($1, $2, $3)
           on conflict (name, alias) do update set model_id = excluded.model_id, updated_at = now()`,
          [model.name, alias, modelId],
        );
        return currentId;
      },
      { readOnly: false },
    );
    return { model: (await this.resolve(String(modelId)))!, previousModelId };
  }

  private async resolveIn(runner: ReturnType<typeof sqlRunner>, id: number): Promise<ModelRecord | undefined> {
    const rows = await runner.query<Record<string, unknown>>(
      `select m.*, coalesce((select array_agg(alias order by alias) from catalog.model_aliases a where a.model_id = m.id), '{}') as aliases from catalog.models m where m.id = $1`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** The artifact, read under the role of the zone the model was trained on. */
  async artifact(model: ModelRecord): Promise<SerializedModel> {
    const rows = await this.database.withZone(model.zone, (trx) =>
      sqlRunner(trx).query<{ artifact: SerializedModel }>(`select artifact from ${model.zone}.model_artifacts where model_id = $1`, [model.id]),
    );
    if (!rows[0]) throw new AirlockError('NOT_FOUND', `Model ${model.id} has no stored artifact.`);
    return rows[0].artifact;
  }
}

/** Largest id or version a reference may name: ids are bigint, but beyond this JavaScript numbers lose digits. */
const MAX_REF_NUMBER = Number.MAX_SAFE_INTEGER;

function boundedNumber(digits: string, what: string, ref: string): number {
  const value = Number(digits);
  if (!Number.isSafeInteger(value) || value > MAX_REF_NUMBER) {
    throw new AirlockError('BAD_REQUEST', `"${ref}": the ${what} ${digits} is out of range (1 to ${MAX_REF_NUMBER}).`);
  }
  return value;
}

function toRecord(row: Record<string, unknown>): ModelRecord {
  return {
    id: Number(row['id']),
    name: String(row['name']),
    version: Number(row['version']),
    dataset: String(row['dataset']),
    zone: row['zone'] as ModelRecord['zone'],
    kind: String(row['kind']),
    target: String(row['target']),
    features: row['features'] as string[],
    metrics: row['metrics'] as Record<string, unknown>,
    card: row['card'] as Record<string, unknown>,
    createdBy: String(row['created_by']),
    createdAt: row['created_at'] as Date,
    aliases: (row['aliases'] as string[]) ?? [],
  };
}
