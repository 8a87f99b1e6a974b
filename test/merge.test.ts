/**
 * `medsec merge`: the SARIF of `scan --shard i/n` runs, merged, equals the SARIF of one unsharded scan
 * (apart from invocation timing); logs from other versions or configurations are refused.
 * Needs the bundle: `npm test` builds it first.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { cliIn, scanShards as scanShardsOf, useTempProject } from './helpers/project';

const project = useTempProject('merge');

const medsec = cliIn(project, { NO_COLOR: '1' });

/** 31 files: findings of several rules, an in-source suppression, an unjustified one, a skipped binary file. */
function writeProject(): void {
  for (let i = 0; i < 8; i++) {
    project.write(
      `fw/drv_${i}.c`,
      `static const char *admin_password = "Infus${i}Secret!";\nconst char *cloud = "http://cloud${i}.example.com";\n`,
    );
    project.write(`tools/t_${i}.py`, `import hashlib\nd = hashlib.sha1(b"${i}").hexdigest()\n`);
    project.write(
      `app/a_${i}.ts`,
      `// medsec-ignore-next-line hardcoded-credential -- demo fixture ${i}, never shipped\nconst password = "Demo${i}Secret!";\n`,
    );
  }
  for (let i = 0; i < 6; i++) project.write(`fw/clean_${i}.c`, `int clean_${i}(void) { return ${i}; }\n`);
  project.write('fw/legacy.c', '// medsec-ignore-next-line hardcoded-credential\nstatic const char *pin = "Legacy1234!";\n');
  project.write('fw/image.c', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
  // The SHA-1 digests of tools/ are weak-hash findings, an audit rule of medsec:strict.
  project.write('.medsec.json', '{ "extends": ["medsec:strict"] }\n');
}

type SarifLog = {
  runs: {
    tool: { driver: { version: string; rules: { id: string }[] } };
    invocations: Record<string, unknown>[];
    results: { ruleId: string; ruleIndex: number }[];
  }[];
};

/** The SARIF without the fields that depend on when it ran. */
function withoutTiming(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  for (const run of log.runs)
    for (const invocation of run.invocations) {
      delete invocation.startTimeUtc;
      delete invocation.endTimeUtc;
    }
  return log;
}

function scanShards(count: number): string[] {
  return scanShardsOf(medsec, ['fw', 'tools', 'app'], count).map(({ file, run }) => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return file;
  });
}

describe('medsec merge', () => {
  it('merges shards 1..n into the SARIF of the unsharded scan (n = 3 and 2), and into its JSON and text', () => {
    writeProject();
    const whole = medsec('scan', 'fw', 'tools', 'app', '--jobs', '1', '--format', 'sarif', '--fail-on', 'none');
    expect(whole.status).toBe(0);
    const expected = withoutTiming(whole.stdout);
    expect(expected.runs[0].results.length).toBeGreaterThan(20);
    expect(new Set(expected.runs[0].results.map((r) => r.ruleId)).size).toBeGreaterThanOrEqual(3);

    for (const count of [3, 2]) {
      const shards = scanShards(count);
      const shardLogs = shards.map((file) => JSON.parse(fs.readFileSync(path.join(project.dir, file), 'utf8')) as SarifLog);
      shardLogs.forEach((log, i) =>
        expect((log.runs[0].invocations[0].properties as { shard: unknown }).shard).toMatchObject({ index: i + 1, count }),
      );
      // Every shard has a part of the results, and none has them all.
      for (const log of shardLogs) expect(log.runs[0].results.length).toBeLessThan(expected.runs[0].results.length);

      const merged = medsec('merge', ...shards.reverse());
      expect(merged.stderr).toBe('');
      expect(merged.status).toBe(0);
      expect(withoutTiming(merged.stdout)).toEqual(expected);
    }

    const shards = scanShards(3);
    const wholeJson = JSON.parse(
      medsec('scan', 'fw', 'tools', 'app', '--jobs', '1', '--format', 'json', '--fail-on', 'none').stdout,
    ) as Record<string, { durationMs?: number }>;
    const mergedJson = JSON.parse(medsec('merge', ...shards, '--format', 'json').stdout) as Record<string, { durationMs?: number }>;
    for (const key of ['findings', 'skipped', 'ruleFailures']) expect(mergedJson[key]).toEqual(wholeJson[key]);
    delete wholeJson.summary.durationMs;
    delete mergedJson.summary.durationMs;
    expect(mergedJson.summary).toEqual(wholeJson.summary);

    const text = medsec('merge', ...shards, '--format', 'text', '--output', 'merged.txt');
    expect(text.status).toBe(0);
    const written = fs.readFileSync(path.join(project.dir, 'merged.txt'), 'utf8');
    expect(written).toMatch(/^Scanned 31 files \(merged from 3 SARIF logs\)\.$/m);
    expect(written).toContain('fw/drv_0.c:1:');
    expect(written).not.toContain('Infus0Secret'); // secrets stay masked
  }, 120_000);

  it('refuses, with one line and exit code 2, logs from another medsec version, another configuration, or a repeated shard', () => {
    writeProject();
    const [first, second] = scanShards(2);
    const edit = (file: string, name: string, change: (log: SarifLog) => void): string => {
      const log = JSON.parse(fs.readFileSync(path.join(project.dir, file), 'utf8')) as SarifLog;
      change(log);
      const out = `${name}-${file}`;
      fs.writeFileSync(path.join(project.dir, out), JSON.stringify(log));
      return out;
    };
    const otherVersion = edit(second, 'version', (log) => (log.runs[0].tool.driver.version = '0.0.1-other'));
    const otherConfig = edit(second, 'config', (log) => {
      const properties = log.runs[0].invocations[0].properties as { configuration?: Record<string, unknown>; configurationHash?: string };
      if (properties.configuration) properties.configuration.sha256 = 'f'.repeat(64);
      else properties.configurationHash = 'other';
    });
    const cases: [string[], RegExp][] = [
      [[first, otherVersion], /cannot merge .*0\.0\.1-other.*same medsec version/],
      [[first, otherConfig], /cannot merge .*different configurations/],
      [[first, first], /both shard 1\/2; pass each shard once/],
      [[first, 'missing.sarif'], /cannot read missing\.sarif/],
    ];
    for (const [files, message] of cases) {
      const { status, stdout, stderr } = medsec('merge', ...files);
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^medsec: /);
      expect(stderr).toMatch(message);
    }
  }, 120_000);

  it('refuses an incomplete set of shards with exit code 2, naming the missing ones', () => {
    writeProject();
    const [first] = scanShards(3);
    const { status, stderr, stdout } = medsec('merge', first);
    expect(status).toBe(2);
    expect(stderr).toMatch(/^medsec: shards 2\/3, 3\/3 missing: pass all 3 shards/);
    expect(stdout).toBe('');
  }, 60_000);
});
