export { ingestFile } from './ingest-file.ts';
export type { IngestOptions, IngestProgress, IngestSummary } from './ingest-file.ts';
export { ensureDatasetTables, datasetRowCount, deidentifiedTable, restrictedTable, deidentifiedColumns, SYSTEM_COLUMNS } from './dataset-tables.ts';
export { parseCell } from './typed-value.ts';
export type { CellValue } from './typed-value.ts';
export { readCsvRecords } from './csv-records.ts';
export type { RejectedRecord } from './prepare-batch.ts';
export { rebuildDataset } from './rebuild.ts';
export type { RebuildSummary } from './rebuild.ts';
