#!/usr/bin/env node
// The `airlock` command. Sources are TypeScript, run through tsx's loader (Node 20 has no
// built-in type stripping), so no build step stands between a clone and a working CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../packages/cli/src/index.ts');
process.exitCode = await main(process.argv);
