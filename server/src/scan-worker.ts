/** The scan worker thread's entry (bundled as scan-worker.js): the engine's worker loop, handed the built-in rules. */
import { builtinRegistry } from './builtin-registry';
import { runScanWorker } from './core/pool/worker';

runScanWorker(builtinRegistry);
