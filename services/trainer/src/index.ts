export { startTrainer } from './trainer.ts';
export type { Trainer, TrainerOptions } from './trainer.ts';
export { runTrainingJob, DEFAULT_MAX_JOB_MS, DEFAULT_MAX_MEMORY_MB } from './run-job.ts';
export type { JobContext } from './run-job.ts';
export { runAnalysis } from './analysis.ts';
