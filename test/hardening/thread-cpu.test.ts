/**
 * The per-file budget's clock (server/src/core/thread-cpu.ts): the calling thread's CPU time, which neither a
 * wait for a core nor another thread's work moves, and which another thread can read while it is busy (the
 * language server's watchdog reads its document worker's).
 */
import * as os from 'os';
import { Worker } from 'worker_threads';
import { describe, expect, it } from 'vitest';
import { cpuMsOfThread, kernelThreadId, threadCpuMs } from '../../server/src/core/thread-cpu';

const linux = os.platform() === 'linux';

function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

describe('thread CPU time', () => {
  it('grows with the thread’s work, not with its waits', () => {
    const before = threadCpuMs();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
    const waited = threadCpuMs() - before;
    expect(waited).toBeLessThan(100);
    // Spin until it counts 100 ms of work (or give up after 30 s, however loaded the machine).
    const deadline = Date.now() + 30_000;
    while (threadCpuMs() - before < 100 && Date.now() < deadline) spin(10);
    expect(threadCpuMs() - before).toBeGreaterThanOrEqual(100);
  });

  it.runIf(linux)(
    'of a busy worker thread is read from another thread, and not counted in this one',
    async () => {
      const shared = new Int32Array(new SharedArrayBuffer(8));
      const source = `
      const { workerData } = require('worker_threads');
      const fs = require('fs');
      Atomics.store(workerData, 0, Number(fs.readlinkSync('/proc/thread-self').split('/').pop()));
      Atomics.notify(workerData, 0);
      while (Atomics.load(workerData, 1) === 0);
    `;
      const mine = threadCpuMs();
      const worker = new Worker(source, { eval: true, workerData: shared });
      try {
        while (Atomics.load(shared, 0) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        const tid = Atomics.load(shared, 0);
        const first = cpuMsOfThread(tid)!;
        while (cpuMsOfThread(tid)! - first < 150) await new Promise((resolve) => setTimeout(resolve, 50));
        expect(cpuMsOfThread(tid)! - first).toBeGreaterThanOrEqual(150);
        // This thread only waited meanwhile.
        expect(threadCpuMs() - mine).toBeLessThan(cpuMsOfThread(tid)! - first);
        expect(kernelThreadId()).not.toBe(tid);
      } finally {
        Atomics.store(shared, 1, 1);
        await worker.terminate();
      }
    },
    60_000,
  );
});
