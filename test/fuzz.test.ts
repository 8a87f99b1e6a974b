/**
 * A fuzz test that stays (issue 12): a seeded hostile repository — random bytes and token soup per
 * language, truncated code, invalid UTF-8, file names that are not UTF-8, deep nesting, long chains, long
 * literals, link loops, links out of the tree, a FIFO — plus hostile configurations, each run under a time
 * budget. Whatever the input:
 * exit 0, 1 or 2 only (3 is a bug), no stack trace, every source file analysed or listed as not analysed
 * with a reason, the report written, nothing outside the tree touched, and no planted secret in any output.
 *
 * `MEDSEC_FUZZ_SEED` and `MEDSEC_FUZZ_FILES` change the corpus; bench/fuzz-bench.mjs runs a larger one.
 */
import { spawnSync, type SpawnSyncReturns } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM helper without type declarations
import { makeHostileCorpus } from './fuzz/hostile-corpus.mjs';

const BIN = path.resolve(__dirname, '..', 'bin', 'medsec.js');
const SEED = Number(process.env.MEDSEC_FUZZ_SEED ?? 20261206);
const FILES = Number(process.env.MEDSEC_FUZZ_FILES ?? 2500);
/** Per command: a hang is a failure, not a slow pass. */
const BUDGET_MS = 90_000;
const STACK_TRACE = /^\s+at .+[:(]\d+:\d+\)?$/m;

interface Corpus {
  tree: string;
  sentinel: string;
  secrets: string[];
  expected: string[];
  fifo?: string;
}

let base: string;
let corpus: Corpus;
let sentinelSum: string;
const outputs: string[] = [];

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-fuzz-'));
  corpus = (await makeHostileCorpus({ base, seed: SEED, files: FILES })) as Corpus;
  sentinelSum = checksum(corpus.sentinel);
}, 120_000);

afterAll(() => fs.rmSync(base, { recursive: true, force: true }), 120_000);

/** Names, modes, times and contents of everything under `folder`, links not followed. */
function checksum(folder: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      const stat = fs.lstatSync(file);
      hash.update(`${path.relative(folder, file)}|${stat.mode}|${stat.size}|${stat.mtimeMs}\n`);
      if (stat.isDirectory()) walk(file);
      else if (stat.isFile()) hash.update(fs.readFileSync(file));
    }
  };
  walk(folder);
  return hash.digest('hex');
}

function expectNoSecret(text: string): void {
  for (const secret of corpus.secrets) {
    if (text.includes(secret.slice(6, 22))) throw new Error(`a planted secret (${secret.slice(0, 3)}...) is in an output`);
  }
}

/** Runs medsec under the budget and checks what holds for every run. */
function medsec(cwd: string, args: string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: BUDGET_MS,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, ...env, MEDSEC_DEBUG: '' },
  });
  outputs.push(run.stdout ?? '', run.stderr ?? '');
  expect(run.signal, `medsec ${args.join(' ')} ran past its budget`).toBeNull();
  expect([0, 1, 2], run.stderr).toContain(run.status);
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stderr).not.toMatch(/internal error/);
  return run;
}

interface JsonReport {
  summary: { filesScanned: number };
  findings: { path: string }[];
  skipped: { path: string; reason: string }[];
  ruleFailures: unknown[];
}

describe(`a hostile repository (seed ${SEED}, ${FILES} files)`, () => {
  it(
    'is scanned: every file analysed or reported with a reason, the report written, nothing read outside',
    () => {
      const report = path.join(base, 'report.json');
      const run = medsec(corpus.tree, ['scan', '--format', 'json', '--output', report, '--jobs', '2']);
      expect(run.stdout).toBe('');
      const text = fs.readFileSync(report, 'utf8');
      outputs.push(text);
      const json = JSON.parse(text) as JsonReport;
      expect(json.ruleFailures).toEqual([]);
      const expected = new Set(corpus.expected);
      for (const entry of json.skipped) expect(entry.reason.length).toBeGreaterThan(10);
      const skippedFiles = json.skipped.filter((entry) => expected.has(entry.path));
      expect(json.summary.filesScanned + skippedFiles.length).toBe(expected.size);
      // Names that are not UTF-8 cannot be opened by the name Node gives them: each is reported, with its bytes.
      const undecodable = corpus.expected.filter((file) => file.includes('\uFFFD'));
      expect(undecodable.length).toBeGreaterThan(0);
      for (const file of undecodable) {
        expect(json.skipped).toContainEqual({ path: file, reason: expect.stringMatching(/name is not valid UTF-8 \(f\d+-\\xff\\xfe\./) });
      }
      // Only files of the tree appear, and every link out of it is listed as not followed.
      for (const finding of json.findings) expect(expected.has(finding.path), finding.path).toBe(true);
      const notFollowed = json.skipped.filter((entry) => /outside the scanned folder/.test(entry.reason)).map((entry) => entry.path);
      expect(notFollowed.sort()).toEqual(['links/etc', 'links/root', 'links/secret.c', 'links/sentinel']);
    },
    BUDGET_MS + 10_000,
  );

  it(
    'prints every output format without a planted secret',
    () => {
      for (const format of ['sarif', 'markdown']) {
        const run = medsec(path.join(corpus.tree, 'd1'), ['scan', '.', '--format', format, '--jobs', '1']);
        expect(run.stdout.length).toBeGreaterThan(0);
      }
    },
    3 * BUDGET_MS,
  );

  it(
    'fix --dry-run shows no secret, and baseline and --output do not write through links or onto sources',
    () => {
      const dry = medsec(corpus.tree, ['fix', '--dry-run', 'd2', 'd3']);
      expect(dry.status).toBe(0);
      fs.symlinkSync(path.join(corpus.sentinel, 'precious.txt'), path.join(corpus.tree, '.medsec-baseline.json'));
      try {
        expect(medsec(corpus.tree, ['baseline', 'd4']).status).toBe(2);
      } finally {
        fs.unlinkSync(path.join(corpus.tree, '.medsec-baseline.json'));
      }
      const source = path.join(
        corpus.tree,
        // A source file it can open by name (not one of the names that are not UTF-8).
        corpus.expected.find((file) => file.startsWith('d5/') && !file.includes('\uFFFD'))!,
      );
      const before = fs.readFileSync(source);
      expect(medsec(corpus.tree, ['scan', 'd5', '--output', source]).status).toBe(2);
      expect(fs.readFileSync(source)).toEqual(before);
    },
    3 * BUDGET_MS,
  );

  it(
    'reports a FIFO named on the command line instead of waiting on it',
    () => {
      if (!corpus.fifo) return; // mkfifo is missing: nothing to test
      const run = medsec(corpus.tree, ['scan', '--format', 'json', corpus.fifo]);
      const json = JSON.parse(run.stdout) as JsonReport;
      expect(json.skipped).toEqual([{ path: 'links/pipe.c', reason: expect.stringMatching(/not a regular file/) }]);
    },
    BUDGET_MS + 10_000,
  );
});

describe('hostile configurations', () => {
  const project = () => path.join(base, 'configured');
  const token = 'ghp_Zk7Qm2Xv9LbR4Tn8Wc1Yd6Hs3Jf0Pa5Ue';

  beforeAll(() => {
    corpus.secrets.push(token);
    fs.mkdirSync(path.join(project(), 'src'), { recursive: true });
    fs.mkdirSync(path.join(project(), '.git'), { recursive: true });
    fs.writeFileSync(path.join(project(), 'src', 'a.py'), 'import ssl\nctx = ssl._create_unverified_context()\n');
    fs.writeFileSync(path.join(project(), 'creds.json'), JSON.stringify({ token, rules: { 'weak-hash': token } }));
    fs.symlinkSync(path.join(corpus.sentinel, 'creds.json'), path.join(project(), 'linked.json'));
    spawnSync('mkfifo', [path.join(project(), 'pipe.json')]);
  });

  /** A configuration: a value written as JSON, or `{ raw }` written as it is. */
  const configs: [string, () => unknown][] = [
    ['extends out of the workspace', () => ({ extends: ['../sentinel/creds.json'] })],
    ['extends an absolute path', () => ({ extends: [path.join(base, 'sentinel', 'creds.json')] })],
    ['extends /proc/self/environ', () => ({ extends: ['/proc/self/environ'] })],
    ['extends a link out of the workspace', () => ({ extends: ['./linked.json'] })],
    ['extends a workspace file holding a token', () => ({ extends: ['./creds.json'] })],
    ['extends itself', () => ({ extends: ['./.medsec.json'] })],
    [
      'a catastrophic custom regex',
      () => ({ customRules: [{ id: 'acme/x', message: 'm', severity: 'low', languages: ['python'], match: { regex: '(a+)+$' } }] }),
    ],
    ['a token where a rule id belongs', () => ({ rules: { [token]: 'high' } })],
    ['a token where a severity belongs', () => ({ rules: { 'weak-hash': token } })],
    ['an npm package that points out of itself', () => ({ extends: ['evil-rules'] })],
    ['extends /dev/zero', () => ({ extends: ['/dev/zero'] })],
    ['extends a FIFO in the workspace', () => ({ extends: ['./pipe.json'] })],
    ['130,000 ignore globs', () => ({ ignore: Array.from({ length: 130_000 }, (_, i) => `gen/${i}/**`) })],
    ['JSON nested 100,000 deep', () => ({ raw: `${'['.repeat(100_000)}${']'.repeat(100_000)}` })],
    ['a UTF-8 byte-order mark', () => ({ raw: `\uFEFF${JSON.stringify({ extends: ['medsec:strict'] })}` })],
  ];
  for (const [name, config] of configs) {
    it(
      `ends in 0, 1 or 2 without a stack trace or a secret: ${name}`,
      () => {
        fs.rmSync(path.join(project(), 'node_modules'), { recursive: true, force: true });
        fs.mkdirSync(path.join(project(), 'node_modules', 'evil-rules'), { recursive: true });
        fs.writeFileSync(
          path.join(project(), 'node_modules', 'evil-rules', 'package.json'),
          JSON.stringify({ name: 'evil-rules', medsec: '../../../sentinel/creds.json' }),
        );
        const value = config() as { raw?: string };
        fs.writeFileSync(path.join(project(), '.medsec.json'), typeof value.raw === 'string' ? value.raw : JSON.stringify(value));
        medsec(project(), ['scan', '--format', 'json'], { MEDSEC_FUZZ_TOKEN: token });
      },
      BUDGET_MS + 10_000,
    );
  }
});

// Last, after every command above has run (vitest runs a file's tests in order).
describe('after every run', () => {
  it('left the sentinel folder outside the tree exactly as it was, and no planted secret in any output', () => {
    expect(checksum(corpus.sentinel)).toBe(sentinelSum);
    expect(outputs.length).toBeGreaterThan(20);
    for (const output of outputs) expectNoSecret(output);
  }, 60_000);
});
