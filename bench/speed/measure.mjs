// Whole-process measurement with GNU time (`/usr/bin/time -f`): wall seconds, CPU seconds (user + system,
// worker threads included) and peak resident memory of one command, with a time limit.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';

export function checkTimeTool() {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: apt-get install -y time`);
}

/**
 * Runs `command args` in `cwd` under GNU time. Returns `{ wall, cpu, rssMb, status }`, or `{ timedOut }`
 * after `timeoutS` seconds. `okStatus` lists the exit codes that mean "ran" (linters exit 1 on findings).
 */
export function measure(command, args, { cwd, timeoutS = 1800, okStatus = [0, 1], env } = {}) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'medsec-speed-'));
  const report = path.join(scratch, 'time.txt');
  try {
    // coreutils `timeout` ends the command itself (a time limit on GNU time alone would leave it running).
    const result = spawnSync(GNU_TIME, ['-o', report, '-f', '%e %U %S %M %x', 'timeout', '-k', '10', String(timeoutS), command, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const [wall, user, system, rssKb, status] = readFileSync(report, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    if (status === 124 || status === 137 || result.signal) return { timedOut: true };
    if (!okStatus.includes(status)) {
      throw new Error(`${command} ${args.join(' ')} exited ${status}: ${String(result.stderr).trim().split('\n').slice(-3).join(' | ')}`);
    }
    return { wall, cpu: user + system, rssMb: rssKb / 1024, status };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : undefined);
