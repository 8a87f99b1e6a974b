/**
 * Issue 12, items 4 and 10: configuration and rule-set files from a hostile repository. Only regular files
 * under a size cap are read, nesting is capped before the recursive JSON parser runs, huge arrays are never
 * spread into calls, and a file saved with a byte order mark is accepted. Each ends in a one-line
 * configuration error (exit 2) or a scan (exit 0/1), never a hang, a huge allocation or exit 3.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/core/config';
import { BUILTIN } from '../helpers/registry';
import { useTempProject } from '../helpers/project';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'medsec.js');
const project = useTempProject('config-files');

function load(): ReturnType<typeof loadConfig> {
  return loadConfig(project.dir, undefined, BUILTIN);
}

function configError(): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration loaded');
}

function scanExit(): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, 'scan', '--jobs', '1', '--fail-on', 'none'], {
    cwd: project.dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe('configuration files', () => {
  it('refuses an extends target that is a device (a link to /dev/zero grew to 8.5 GB)', () => {
    fs.symlinkSync('/dev/zero', path.join(project.dir, 'zero.json'));
    project.write('.medsec.json', JSON.stringify({ extends: ['./zero.json'] }));
    expect(configError().message).toMatch(/not a regular file|outside/);
  });

  it('refuses an extends target that is a FIFO instead of blocking on it', () => {
    execFileSync('mkfifo', [path.join(project.dir, 'pipe.json')]);
    project.write('.medsec.json', JSON.stringify({ extends: ['./pipe.json'] }));
    expect(configError().message).toMatch(/not a regular file/);
  });

  it('refuses a configuration file over the size cap', () => {
    project.write('.medsec.json', JSON.stringify({ ignore: Array.from({ length: 60_000 }, (_, i) => `generated/file-${i}/**`) }));
    expect(configError().message).toMatch(/larger than 1000000 bytes/);
  });

  it('reports nesting 100,000 deep as a configuration error (it overflowed the stack: exit 3)', () => {
    project.write('.medsec.json', `{"rules": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(configError().message).toMatch(/nested deeper than 64 levels/);
    const { status, stderr } = scanExit();
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('loads 50,000 ignore globs (130k overflowed the stack when spread into push)', () => {
    project.write('.medsec.json', JSON.stringify({ ignore: Array.from({ length: 50_000 }, (_, i) => `g${i}/**`) }));
    fs.writeFileSync(
      path.join(project.dir, 'rules.json'),
      JSON.stringify({ ignore: Array.from({ length: 50_000 }, (_, i) => `h${i}/**`) }),
    );
    project.write(
      '.medsec.json',
      JSON.stringify({ extends: ['./rules.json'], ignore: Array.from({ length: 50_000 }, (_, i) => `g${i}/**`) }),
    );
    expect(load().ignore).toHaveLength(100_000);
    project.write('main.c', 'int main(void) { return 0; }\n');
    expect(scanExit().status).toBe(0);
  }, 120_000);

  it('accepts a configuration saved with a UTF-8 byte order mark', () => {
    project.write('.medsec.json', `\uFEFF${JSON.stringify({ rules: { 'weak-hash': 'off' } })}`);
    expect(load().source).toBe(path.join(project.dir, '.medsec.json'));
    expect(scanExit().status).toBe(0);
  });
});
