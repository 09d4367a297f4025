// Entry of a trainer worker thread. Sources are TypeScript and a worker thread does not inherit
// the loader its parent runs under (tsx, or Vitest's), so it registers tsx itself.
import { register } from 'tsx/esm/api';

register();
await import('./compute-worker.ts');
