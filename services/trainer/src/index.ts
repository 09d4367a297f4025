export { startTrainer } from './trainer.ts';
export type { Trainer, TrainerOptions } from './trainer.ts';
export { runTrainingJob, DEFAULT_MAX_JOB_MS, DEFAULT_MAX_MEMORY_MB } from './run-job.ts';
export type { JobContext } from './run-job.ts';
export { runAnalysis } from './analysis.ts';
export { checkTrainerHealth, trainerSignals, HEALTH_PROBE_TIMEOUT_MS } from './health.ts';
export type { HealthSignals, TrainerHealth } from './health.ts';
export { serveTrainerHealth } from './health-server.ts';
export type { HealthServer, HealthServerOptions } from './health-server.ts';
