import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Scratch space for the servers under test; removed at the end of a run. */
export const BENCH_DIR = path.join(REPO_ROOT, '.lab', 'bench');
export const DEFAULT_JSON = path.join(REPO_ROOT, '.lab', 'bench.json');
