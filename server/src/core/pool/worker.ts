/**
 * The scan worker's loop, run by the worker entry script (server/src/scan-worker.ts, bundled as
 * scan-worker.js next to the CLI and server bundles) with the registry it supplies. It rebuilds the
 * configuration once from `workerData`, refuses when the rules it rebuilt are not the main thread's, then
 * checks one file per `check` message: it reads the bytes itself, parses (grammars load once per worker,
 * on first use) and runs the rules.
 *
 * Test-only hook: with MEDSEC_TEST_HOOKS=1 and MEDSEC_TEST_CRASH_ON=<relative path>, the worker dies on
 * that file (an uncaught error outside any handler), so tests can check that a crash is reported on
 * the file and the scan goes on. Without MEDSEC_TEST_HOOKS=1 the variable is ignored.
 */
import { parentPort, workerData } from 'worker_threads';
import { resolveConfig } from '../config';
import { checkDiscoveredFile } from '../scan';
import type { ResolvedConfig, RuleRegistry } from '../types';
import { NestedConfigs } from '../nested-config';
import { ruleSetSignature, type ConfigSetup, type FromWorker, type ToWorker, type WorkerSetup } from './protocol';

export function runScanWorker(registry: RuleRegistry): void {
  const port = parentPort;
  if (!port) throw new Error('scan-worker.js runs only as a worker thread');
  const post = (message: FromWorker) => port.postMessage(message);

  const rebuilt = rebuildConfigs(workerData as WorkerSetup, registry);
  if (typeof rebuilt === 'string') return post({ type: 'refused', reason: rebuilt });
  const configs = rebuilt;
  const crashOn = process.env.MEDSEC_TEST_HOOKS === '1' ? process.env.MEDSEC_TEST_CRASH_ON : undefined;

  port.on('message', (message: ToWorker) => {
    if (message.type !== 'check') return;
    const { id, file } = message;
    if (crashOn !== undefined && file.relativePath === crashOn) {
      setImmediate(() => {
        throw new Error(`MEDSEC_TEST_CRASH_ON: simulated crash on ${file.relativePath}`);
      });
      return;
    }
    checkDiscoveredFile(file, configs).then(
      (outcome) => post({ type: 'done', id, outcome }),
      (error: unknown) => post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) }),
    );
  });

  post({ type: 'ready' });
}

/** The main thread's configurations rebuilt here, or why they cannot be. */
function rebuildConfigs(setup: WorkerSetup, registry: RuleRegistry): NestedConfigs | string {
  let root: ResolvedConfig;
  let nested: ResolvedConfig[];
  try {
    // A nested configuration may extend files anywhere under the scan root, as on the main thread.
    const rebuild = (config: ConfigSetup) => resolveConfig(config.raw, config.source, config.root, { registry, workspaceRoot: setup.root });
    root = rebuild(setup);
    nested = (setup.nested ?? []).map(rebuild);
  } catch (error) {
    return `the configuration does not load in a worker (${error instanceof Error ? error.message : String(error)})`;
  }
  if (ruleSetSignature([root, ...nested]) !== setup.ruleSet)
    return "the worker's rule registry is not the one the scan was configured with";
  return new NestedConfigs(root, undefined, nested);
}
