/**
 * `medsec scan`'s result cache as users meet it: on in a git working tree, off with --no-cache, never
 * written outside the scanned root, and never serving a result that a change of file, configuration or
 * rule option has made stale. A hit is made visible by editing a cached message: a scan that prints the
 * edited message was served from the cache.
 */
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliIn, useTempProject } from './helpers/project';

const ROOT = path.resolve(__dirname, '..');
const SOURCE = 'static const char *wifi_password = "Vk8#mq2Lz9!pT4";\nint ready;\n';

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
});

const project = useTempProject('cli-cache');

const medsec = cliIn(project, { NO_COLOR: '' });

const cacheFolder = () => path.join(project.dir, '.medsec-cache');
const cacheFiles = () => (fs.existsSync(cacheFolder()) ? fs.readdirSync(cacheFolder()).filter((name) => name.endsWith('.cache')) : []);

/** Rewrites every cached finding message to MARK, so a scan that prints MARK was served from the cache. */
function markCachedMessages(): void {
  for (const name of cacheFiles()) {
    const file = path.join(cacheFolder(), name);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"message":"[^"]*"/g, '"message":"MARK"'));
  }
}

function messages(...args: string[]): string[] {
  const run = medsec('scan', '--format', 'json', '--fail-on', 'none', ...args);
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as { findings: { message: string }[] }).findings.map((finding) => finding.message);
}

describe('medsec scan --cache', () => {
  it('is on in a git working tree, off outside one, and off with --no-cache', () => {
    project.write('main.c', SOURCE);
    messages();
    expect(cacheFiles()).toEqual([]);
    fs.mkdirSync(path.join(project.dir, '.git'));
    messages('--no-cache');
    expect(cacheFiles()).toEqual([]);
    messages();
    expect(cacheFiles()).toHaveLength(1);
    expect(fs.readFileSync(path.join(cacheFolder(), '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('serves unchanged files from the cache, with the same output as a fresh scan', () => {
    project.write('main.c', SOURCE);
    project.write('other.c', 'int other;\n');
    const fresh = medsec('scan', '--format', 'json', '--fail-on', 'none', '--no-cache').stdout;
    medsec('scan', '--format', 'json', '--fail-on', 'none', '--cache');
    const cached = medsec('scan', '--format', 'json', '--fail-on', 'none', '--cache').stdout;
    const strip = (json: string) => JSON.stringify({ ...JSON.parse(json), summary: { ...JSON.parse(json).summary, durationMs: 0 } });
    expect(strip(cached)).toBe(strip(fresh));
    expect(messages('--cache').length).toBeGreaterThan(0);
    markCachedMessages();
    expect(messages('--cache')).toContain('MARK');
    expect(messages('--no-cache')).not.toContain('MARK');
  });

  it('stores what worker threads checked, and serves it to the next scan', () => {
    for (const name of ['a.c', 'b.c', 'c.c']) project.write(name, SOURCE);
    const fresh = messages('--jobs', '2', '--no-cache');
    expect(messages('--jobs', '2', '--cache')).toEqual(fresh);
    markCachedMessages();
    expect(messages('--jobs', '2', '--cache').filter((message) => message === 'MARK')).toHaveLength(fresh.length);
  });

  it('checks a file again when its content changes', () => {
    project.write('main.c', SOURCE);
    messages('--cache');
    markCachedMessages();
    project.write('main.c', `${SOURCE}int later;\n`);
    expect(messages('--cache')).not.toContain('MARK');
  });

  it('trusts an unchanged stamp without reading, and sees an edit that keeps the size and modification time', () => {
    project.write('main.c', SOURCE);
    const { mtime } = fs.statSync(path.join(project.dir, 'main.c'));
    // A file changed within 2 s of a scan is "racily clean" and gets no stamp (core/file-stamp.ts): wait that out.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_100);
    messages('--cache');
    expect(fs.readFileSync(path.join(cacheFolder(), cacheFiles()[0]), 'utf8')).toMatch(/"stamp":"\d+:/);
    markCachedMessages();
    expect(messages('--cache')).toContain('MARK');
    project.write('main.c', SOURCE.replace('Vk8#mq2Lz9!pT4', 'Qw3$zx7Nb1?rY6'));
    fs.utimesSync(path.join(project.dir, 'main.c'), mtime, mtime);
    expect(messages('--cache')).not.toContain('MARK');
  });

  it('checks files again when the configuration or a rule option changes', () => {
    project.write('main.c', SOURCE);
    project.write('.medsec.json', '{ "extends": ["medsec:recommended"] }');
    messages('--cache');
    markCachedMessages();
    expect(messages('--cache')).toContain('MARK');
    project.write('.medsec.json', '{ "extends": ["medsec:recommended"], "rules": { "hardcoded-credential": "medium" } }');
    expect(messages('--cache')).not.toContain('MARK');
    markCachedMessages();
    project.write(
      '.medsec.json',
      '{ "extends": ["medsec:recommended"], "rules": { "hardcoded-credential": ' +
        '{ "severity": "medium", "options": { "ignoreValues": ["Vk8#mq2Lz9!pT4"] } } } }',
    );
    expect(messages('--cache')).not.toContain('MARK');
  });

  it('checks a folder again when its nested .medsec.json appears or changes, and serves the others', () => {
    project.write('main.c', SOURCE);
    project.write('fw/net.c', SOURCE);
    project.write('.medsec.json', '{ "extends": ["medsec:recommended"] }');
    messages('--cache');
    markCachedMessages();
    expect(messages('--cache')).toEqual(['MARK', 'MARK']);
    // fw/ now has its own configuration: its file is checked under it, main.c still comes from the cache.
    project.write('fw/.medsec.json', '{ "extends": ["medsec:recommended"], "rules": { "hardcoded-credential": "medium" } }');
    const withNested = medsec('scan', '--format', 'json', '--fail-on', 'none', '--cache');
    const findings = (JSON.parse(withNested.stdout) as { findings: { path: string; message: string; severity: string }[] }).findings;
    expect(findings.find((finding) => finding.path === 'fw/net.c')).toMatchObject({ severity: 'medium' });
    expect(findings.find((finding) => finding.path === 'fw/net.c')?.message).not.toBe('MARK');
    expect(findings.find((finding) => finding.path === 'main.c')?.message).toBe('MARK');
    markCachedMessages();
    project.write('fw/.medsec.json', '{ "extends": ["medsec:recommended"], "rules": { "hardcoded-credential": "off" } }');
    expect(messages('--cache')).toEqual(['MARK']);
  });

  it('ignores the cache of another medsec build', () => {
    project.write('main.c', SOURCE);
    messages('--cache');
    markCachedMessages();
    const [name] = cacheFiles();
    const file = path.join(cacheFolder(), name);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"build":"[^"]*"/, '"build":"0.0.1+another"'));
    expect(messages('--cache')).not.toContain('MARK');
  });

  it('starts over from a damaged cache, and says so once', () => {
    project.write('main.c', SOURCE);
    const expected = messages('--cache');
    const file = path.join(cacheFolder(), cacheFiles()[0]);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 40));
    const run = medsec('scan', '--format', 'json', '--fail-on', 'none', '--cache');
    expect(run.stderr).toMatch(/^medsec: the result cache in .* was damaged; checking every file again\n$/);
    expect((JSON.parse(run.stdout) as { findings: { message: string }[] }).findings.map((finding) => finding.message)).toEqual(expected);
    // The scan wrote a sound cache again: no more notes.
    expect(messages('--cache')).toEqual(expected);
  });

  it('refuses a cache folder outside the scanned root, in one line', () => {
    project.write('main.c', SOURCE);
    const run = medsec('scan', '--cache-dir', path.join(project.dir, '..', 'elsewhere-cache'));
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^medsec: --cache-dir .* is not a folder inside the scanned root/);
    expect(fs.existsSync(path.join(project.dir, '..', 'elsewhere-cache'))).toBe(false);
    expect(medsec('scan', '--cache-dir', 'x', '--no-cache').status).toBe(2);
  });

  it('never writes through a link committed in the cache folder, even one that points nowhere', () => {
    project.write('main.c', SOURCE);
    const outside = path.join(project.dir, '..', `cache-link-target-${process.pid}`);
    fs.mkdirSync(cacheFolder(), { recursive: true });
    fs.symlinkSync(outside, path.join(cacheFolder(), '.gitignore'));
    try {
      messages('--cache');
      expect(fs.existsSync(outside)).toBe(false);
      expect(cacheFiles()).toHaveLength(1);
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });

  it('keeps the cache where --cache-dir says', () => {
    project.write('main.c', SOURCE);
    messages('--cache-dir', 'build/medsec-cache');
    expect(fs.readdirSync(path.join(project.dir, 'build', 'medsec-cache')).some((name) => name.endsWith('.cache'))).toBe(true);
  });
});
