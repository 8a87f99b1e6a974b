/**
 * The scan worker (bundled as scan-worker.js next to the CLI and server bundles). It rebuilds the
 * configuration once from `workerData`, then checks one file per `check` message: it reads the bytes
 * itself, parses (grammars load once per worker, on first use) and runs the rules.
 *
 * Test-only hook: with MEDSEC_TEST_HOOKS=1 and MEDSEC_TEST_CRASH_ON=<relative path>, the worker dies on
 * that file (an uncaught error outside any handler), so tests can check that a crash is reported on
 * the file and the scan goes on. Without MEDSEC_TEST_HOOKS=1 the variable is ignored.
 */
import { parentPort, workerData } from 'worker_threads';
import { resolveConfig } from '../config';
import { ruleReads } from '../discover';
import { checkDiscoveredFile } from '../scan';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';

const port = parentPort;
if (!port) throw new Error('scan-worker.js runs only as a worker thread');

const setup = workerData as WorkerSetup;
const config = resolveConfig(setup.raw, setup.source, setup.root);
const crashOn = process.env.MEDSEC_TEST_HOOKS === '1' ? process.env.MEDSEC_TEST_CRASH_ON : undefined;

const post = (message: FromWorker) => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  if (message.type !== 'check') return;
  const { id, file } = message;
  if (crashOn !== undefined && file.relativePath === crashOn) {
    setImmediate(() => {
      throw new Error(`MEDSEC_TEST_CRASH_ON: simulated crash on ${file.relativePath}`);
    });
    return;
  }
  const rules = config.rulesFor(file.relativePath).filter((effective) => ruleReads(effective, file.language));
  checkDiscoveredFile(file, rules).then(
    (outcome) => post({ type: 'done', id, outcome }),
    (error: unknown) => post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) }),
  );
});

post({ type: 'ready' });
