/**
 * The scan worker's loop, run by the worker entry script (server/src/scan-worker.ts, bundled as
 * scan-worker.js next to the CLI and server bundles) with the registry it supplies. It rebuilds the
 * configuration once from `workerData`, refuses when the rules it rebuilt are not the main thread's, then
 * checks one file per `check` message: it reads the bytes itself, parses (grammars load once per worker,
 * on first use) and runs the rules, and writes what phase it is in to the shared progress the pool's
 * watchdog reads (worker-progress.ts).
 *
 * Test-only hooks, only with MEDSEC_TEST_HOOKS=1: MEDSEC_TEST_CRASH_ON=<relative path> makes the worker die on
 * that file (an uncaught error outside any handler), so tests can check that a crash is reported on the file
 * and the scan goes on; MEDSEC_TEST_HANG_ON=<relative path> makes building that file's code model never
 * return (as a model builder stuck on pathological input would), so tests can check that the watchdog ends
 * the worker. Without MEDSEC_TEST_HOOKS=1 the variables are ignored.
 */
import { parentPort, workerData } from 'worker_threads';
import { resolveConfig } from '../config';
import { checkDiscoveredFile } from '../scan';
import type { ResolvedConfig, RuleRegistry } from '../types';
import { NestedConfigs } from '../nested-config';
import { kernelThreadId } from '../thread-cpu';
import { ruleSetSignature, type ConfigSetup, type FromWorker, type ToWorker, type WorkerData, type WorkerSetup } from './protocol';
import { WorkerProgress } from './worker-progress';

export function runScanWorker(registry: RuleRegistry): void {
  const port = parentPort;
  if (!port) throw new Error('scan-worker.js runs only as a worker thread');
  const post = (message: FromWorker) => port.postMessage(message);

  const data = workerData as WorkerData;
  const rebuilt = rebuildConfigs(data.setup, registry);
  if (typeof rebuilt === 'string') return post({ type: 'refused', reason: rebuilt });
  const configs = rebuilt;
  const progress = new WorkerProgress(data.progress);
  progress.setThread(kernelThreadId());
  const hooks = process.env.MEDSEC_TEST_HOOKS === '1';
  const crashOn = hooks ? process.env.MEDSEC_TEST_CRASH_ON : undefined;
  const hangOn = hooks ? process.env.MEDSEC_TEST_HANG_ON : undefined;

  // One file at a time, in the order handed out: the pool reads answers, and the watchdog the progress, that way.
  let queue = Promise.resolve();
  const check = async ({ id, file }: ToWorker): Promise<void> => {
    progress.beginCheck(id);
    if (crashOn !== undefined && file.relativePath === crashOn) {
      setImmediate(() => {
        throw new Error(`MEDSEC_TEST_CRASH_ON: simulated crash on ${file.relativePath}`);
      });
      return new Promise<void>(() => undefined);
    }
    const onPhase = (phase: string) => {
      progress.enter(phase);
      if (file.relativePath === hangOn && phase === 'building the code model') neverReturns();
    };
    try {
      const outcome = await checkDiscoveredFile(file, configs, undefined, onPhase);
      progress.endCheck();
      post({ type: 'done', id, outcome });
    } catch (error) {
      progress.endCheck();
      post({ type: 'failed', id, message: error instanceof Error ? error.message : String(error) });
    }
  };
  port.on('message', (message: ToWorker) => {
    if (message.type === 'check') queue = queue.then(() => check(message));
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

/** MEDSEC_TEST_HANG_ON: work that never returns, as a model builder stuck on pathological input would. */
function neverReturns(): void {
  for (;;) {
    // Spin: only ending the thread ends this.
  }
}
