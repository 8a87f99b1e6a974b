/**
 * CPU time of one thread, for the per-file budget (file-budget.ts). On a loaded machine wall-clock time
 * runs far ahead of the work a file does (a thread waits for a core), and the process's CPU time counts
 * every other thread's work (scan workers, the language server's main thread): only the checking thread's
 * own CPU time says what a file cost.
 *
 * Node 20 has no per-thread clock (`process.threadCpuUsage` came in Node 23.9, and is used where present).
 * Linux reports it per thread in /proc: `schedstat` (nanoseconds on a core) or, where the kernel keeps no
 * scheduler statistics, `stat` (user and system time in 1/100 s ticks). Elsewhere the process's CPU time
 * stands in: it is never below the thread's, so a budget can only end sooner, never run past its bar.
 */
import * as fs from 'fs';
import { isMainThread } from 'worker_threads';

/** The time /proc/<pid>/stat counts in: USER_HZ, 100 per second in the kernel's ABI on every architecture. */
const MS_PER_TICK = 10;

type Source = 'schedstat' | 'stat';

const buffer = Buffer.alloc(1024);

function readProc(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    return buffer.toString('latin1', 0, fs.readSync(fd, buffer, 0, buffer.length, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Milliseconds on a core from a `schedstat` file's text (its first field is nanoseconds). */
function schedstatMs(text: string | undefined): number | undefined {
  const ns = Number(text?.slice(0, text.indexOf(' ')));
  return text && Number.isFinite(ns) ? ns / 1e6 : undefined;
}

/** User plus system milliseconds from a `stat` file's text (fields 14 and 15; the name in field 2 may hold spaces). */
function statMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * MS_PER_TICK : undefined;
}

function procMs(dir: string, source: Source): number | undefined {
  return source === 'schedstat' ? schedstatMs(readProc(`${dir}/schedstat`)) : statMs(readProc(`${dir}/stat`));
}

type ThreadCpuUsage = () => { user: number; system: number };
const nodeThreadCpuUsage = (process as unknown as { threadCpuUsage?: ThreadCpuUsage }).threadCpuUsage;

/** The per-thread files /proc has on this system, found once per thread (module state is per thread). */
const PROC_SOURCE: Source | undefined =
  procMs('/proc/thread-self', 'schedstat') !== undefined
    ? 'schedstat'
    : procMs('/proc/thread-self', 'stat') !== undefined
      ? 'stat'
      : undefined;

/** The calling thread's CPU time in milliseconds (the process's where no per-thread clock exists). */
export function threadCpuMs(): number {
  if (typeof nodeThreadCpuUsage === 'function') return usageMs(nodeThreadCpuUsage.call(process));
  const own = PROC_SOURCE && isMainThread ? mainThreadMs(PROC_SOURCE) : undefined;
  return own ?? (PROC_SOURCE && procMs('/proc/thread-self', PROC_SOURCE)) ?? usageMs(process.cpuUsage());
}

/**
 * The main thread keeps its /proc file open and reads it again from the start (the kernel writes it anew on
 * every read): one system call instead of three, read a few times per file by the scan's budgets. Only the main
 * thread does: it lives as long as the process, while a worker's open file would outlive the worker.
 */
let mainThreadFd: number | undefined;

function mainThreadMs(source: Source): number | undefined {
  try {
    mainThreadFd ??= fs.openSync(`/proc/thread-self/${source}`, 'r');
    const text = buffer.toString('latin1', 0, fs.readSync(mainThreadFd, buffer, 0, buffer.length, 0));
    return source === 'schedstat' ? schedstatMs(text) : statMs(text);
  } catch {
    return undefined;
  }
}

function usageMs(usage: { user: number; system: number }): number {
  return (usage.user + usage.system) / 1000;
}

/**
 * The calling thread's id in the kernel, by which another thread of this process can read its CPU time
 * (cpuMsOfThread) while it is busy; undefined where /proc has no per-thread files.
 */
export function kernelThreadId(): number | undefined {
  if (!PROC_SOURCE) return undefined;
  try {
    // `/proc/thread-self` is a link to `<pid>/task/<tid>`.
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** The CPU time in milliseconds of this process's thread `tid` (kernelThreadId); undefined once it has ended. */
export function cpuMsOfThread(tid: number): number | undefined {
  return PROC_SOURCE && procMs(`/proc/self/task/${tid}`, PROC_SOURCE);
}
