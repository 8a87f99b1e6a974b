/**
 * `medsec fix` is all or nothing (issue 12, item 6): every target is checked before the first write, so one
 * file that cannot be written leaves every file as it was; a successful run lists exactly what it wrote and
 * leaves no temporary file behind.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '..', 'bin', 'medsec.js');
const UNVERIFIED = 'import ssl\nctx = ssl._create_unverified_context()\n';
const FIXED = 'import ssl\nctx = ssl.create_default_context()\n';
/** Root may write any file, so as root the command runs as `nobody` against a file only root may write. */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-fix-atomic-'));
  fs.chmodSync(dir, 0o777);
  for (const name of ['a.py', 'b.py', 'c.py']) fs.writeFileSync(path.join(dir, name), UNVERIFIED, { mode: 0o644 });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Makes `name` unwritable for the user the command runs as, and every other file writable. */
function lockOnly(name: string): void {
  for (const other of fs.readdirSync(dir)) {
    if (other === name) fs.chmodSync(path.join(dir, other), 0o444);
    else if (asRoot) fs.chownSync(path.join(dir, other), NOBODY, NOBODY);
  }
}

function fix() {
  return spawnSync(process.execPath, [BIN, 'fix'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
}

it('writes nothing when one target cannot be written, and names it', () => {
  lockOnly('b.py');
  const run = fix();
  expect(run.status).toBe(2);
  expect(run.stderr).toMatch(/^medsec: nothing was written: cannot fix b\.py \(it is not writable/);
  for (const name of ['a.py', 'b.py', 'c.py']) expect(fs.readFileSync(path.join(dir, name), 'utf8')).toBe(UNVERIFIED);
});

it('lists exactly the files it wrote and leaves no temporary file', () => {
  lockOnly('none');
  const run = fix();
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('Fixed a.py (1 safe fix).\nFixed b.py (1 safe fix).\nFixed c.py (1 safe fix).\n');
  expect(fs.readdirSync(dir).sort()).toEqual(['a.py', 'b.py', 'c.py']);
  for (const name of ['a.py', 'b.py', 'c.py']) {
    expect(fs.readFileSync(path.join(dir, name), 'utf8')).toBe(FIXED);
    expect(fs.statSync(path.join(dir, name)).mode & 0o777).toBe(0o644);
  }
});
