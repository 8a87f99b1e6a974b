// The tools a device team would otherwise run, measured on the same corpora in the same run:
// flawfinder (lexical C/C++ scanner, Debian), cppcheck (semantic C/C++ checker, Debian) and secretlint with
// its recommended preset (secrets, npm; installed into bench/.peers, never into the project's dependencies).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const PEERS_DIR = path.join(here, '..', '.peers');
const SECRETLINT = path.join(PEERS_DIR, 'node_modules', '.bin', 'secretlint');

const onPath = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
const C_FAMILY = ['C', 'C++'];

/** Each peer: which corpora it reads, how to make it available, and the command that scans a folder. */
export const PEERS = {
  flawfinder: {
    languages: C_FAMILY,
    available: () => onPath('flawfinder') || 'apt-get install -y flawfinder',
    command: () => ['flawfinder', ['--quiet', '--dataonly', '.']],
  },
  cppcheck: {
    languages: C_FAMILY,
    available: () => onPath('cppcheck') || 'apt-get install -y cppcheck',
    // One job, as medsec's in-process scan on two cores; no include paths (what a first run looks like).
    command: () => ['cppcheck', ['--quiet', '--enable=warning', '-j', '1', '.']],
  },
  secretlint: {
    languages: ['C', 'C++', 'Java', 'JavaScript'],
    available: () => existsSync(SECRETLINT) || installSecretlint(),
    command: () => ['node', [SECRETLINT, '--secretlintrc', path.join(PEERS_DIR, '.secretlintrc.json'), '**/*']],
  },
};

/** Installs secretlint and its recommended preset into bench/.peers (a benchmark-only folder). */
function installSecretlint() {
  mkdirSync(PEERS_DIR, { recursive: true });
  writeFileSync(path.join(PEERS_DIR, 'package.json'), JSON.stringify({ name: 'medsec-bench-peers', private: true }, null, 2));
  writeFileSync(
    path.join(PEERS_DIR, '.secretlintrc.json'),
    JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2),
  );
  const result = spawnSync(
    'npm',
    ['install', '--no-audit', '--no-fund', 'secretlint@11', '@secretlint/secretlint-rule-preset-recommend@11'],
    { cwd: PEERS_DIR, stdio: 'inherit' },
  );
  return (result.status === 0 && existsSync(SECRETLINT)) || 'npm install secretlint failed (see above)';
}
