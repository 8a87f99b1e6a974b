#!/usr/bin/env node
// Issue 12's attack table, re-run against the built CLI: every numbered attack a hostile repository or a
// careless user makes, each in a fresh folder, one whole process under GNU time with a time limit. Prints one
// row per attack: exit code, wall and CPU seconds, peak memory, what medsec said (the note, error or line that
// answers the attack) and whether the bar is met (time bars in CPU seconds). The language-server attacks (trust with no signal, a
// malformed document URI, a document that would block the event loop) need a client: test/lsp/trust.test.ts
// and test/hardening/lsp-responsive.test.ts run them.
//
//   node bench/attack-table.mjs [--only 1,2,...] [--timeout 600] [--medsec DIR]   (run `npm run build` first)
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: { only: { type: 'string' }, timeout: { type: 'string', default: '600' }, medsec: { type: 'string' } },
});
const BIN = path.join(path.resolve(options.medsec ?? path.join(here, '..')), 'bin', 'medsec.js');
const TIMEOUT_S = Number(options.timeout);
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const TOKEN = 'ghp_Zq8XkLm2Np4Rs6Tu8Vw0Xy2Za4Bc6De8Fg0';

// ---- inputs ---------------------------------------------------------------------------------------------

// The same hostile sources the suite uses (test/helpers/hostile-source.ts), built for Node by esbuild.
const helper = path.join(here, '.build', 'hostile-source.cjs');
await build({
  entryPoints: [path.join(here, '..', 'test', 'helpers', 'hostile-source.ts')],
  outfile: helper,
  bundle: true,
  platform: 'node',
  logLevel: 'silent',
});
const { cArithmeticChain: chainC, pythonStringChain: chainPy, minifiedBundle: minified } = createRequire(import.meta.url)(helper);

const PEM = [
  'PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  '-----END RSA PRIVATE KEY-----"""',
  'import ssl',
  'ctx = ssl._create_unverified_context()',
  '',
].join('\n');

// ---- the attacks ----------------------------------------------------------------------------------------

/**
 * Each attack: its issue item, what it does, `setup(dir)` → the command's arguments (cwd `dir/repo` unless it
 * says), and `bar(run, dir)` → '' when the bar is met, else what falls short. `said(run)` picks the
 * line that answers the attack.
 */
const ATTACKS = [
  ...[
    ['c', 'password.c', (v) => `const char *password = "${v}";\n`],
    ['python', 'password.py', (v) => `password = "${v}"\n`],
    ['javascript', 'password.js', (v) => `const password = "${v}";\n`],
    ['java', 'Password.java', (v) => `class P { String password = "${v}"; }\n`],
  ].flatMap(([language, file, source]) =>
    [100, 200].map((kb) => ({
      item: 1,
      name: `${kb} KB "AAAA…" password (${language})`,
      setup: (repo) => writeFileSync(path.join(repo, file), source('A'.repeat(kb * 1024))),
      args: ['scan', '--format', 'json', '--fail-on', 'none'],
      bar: (run) => within(run, 5),
    })),
  ),
  ...[
    ['10,000-term a+a+… (C)', 'chain.c', chainC(10_000)],
    ['20,000-term a+a+… (C)', 'chain.c', chainC(20_000)],
    ['10,000-term "a"+"a"+… (Python)', 'chain.py', chainPy(10_000)],
    ['20,000-term "a"+"a"+… (Python)', 'chain.py', chainPy(20_000)],
  ].map(([name, file, text]) => ({
    item: 2,
    name,
    setup: (repo) => writeFileSync(path.join(repo, file), text),
    args: ['scan', '--format', 'json', '--fail-on', 'none'],
    bar: (run) => within(run, 6) || analysedOrNoted(run, file),
  })),
  ...[
    ['1 MB minified bundle', 1_000_000, undefined, 5],
    ['1.9 MB minified bundle', 1_900_000, undefined, 10],
    ['5 MB JS file, size limit raised (memory bar: 1 GB)', 5_000_000, { maxFileSize: 10_000_000 }, 60],
  ].map(([name, bytes, config, seconds]) => ({
    item: 3,
    name,
    setup: (repo) => {
      writeFileSync(path.join(repo, 'bundle.min.js'), minified(bytes));
      if (config) writeFileSync(path.join(repo, '.medsec.json'), JSON.stringify(config));
    },
    args: ['scan', '--format', 'json', '--fail-on', 'none'],
    bar: (run) => within(run, seconds) || (run.rssMb > 1024 ? `${run.rssMb.toFixed(0)} MB > 1 GB` : ''),
  })),
  {
    item: 4,
    name: 'extends ["/dev/zero"]',
    setup: (repo) => writeFileSync(path.join(repo, '.medsec.json'), JSON.stringify({ extends: ['/dev/zero'] })),
    args: ['scan'],
    bar: (run) => exits(run, [2]) || within(run, 5) || (run.rssMb > 300 ? `${run.rssMb.toFixed(0)} MB` : ''),
  },
  {
    item: 4,
    name: 'extends a symlink to /dev/zero',
    setup: (repo) => {
      symlinkSync('/dev/zero', path.join(repo, 'zero.json'));
      writeFileSync(path.join(repo, '.medsec.json'), JSON.stringify({ extends: ['./zero.json'] }));
    },
    args: ['scan'],
    bar: (run) => exits(run, [2]) || within(run, 5) || (run.rssMb > 300 ? `${run.rssMb.toFixed(0)} MB` : ''),
  },
  {
    item: 4,
    name: 'extends a FIFO',
    setup: (repo) => {
      execFileSync('mkfifo', [path.join(repo, 'pipe.json')]);
      writeFileSync(path.join(repo, '.medsec.json'), JSON.stringify({ extends: ['./pipe.json'] }));
    },
    args: ['scan'],
    bar: (run) => exits(run, [2]) || within(run, 5),
  },
  {
    item: 4,
    name: '130,000 ignore globs',
    setup: (repo) => {
      writeFileSync(path.join(repo, '.medsec.json'), JSON.stringify({ ignore: Array.from({ length: 130_000 }, (_, i) => `g${i}/**`) }));
      writeFileSync(path.join(repo, 'main.c'), 'int main(void) { return 0; }\n');
    },
    args: ['scan'],
    bar: (run) => exits(run, [0, 1, 2]) || within(run, 30),
  },
  {
    item: 4,
    name: '100,000-deep JSON config',
    setup: (repo) => writeFileSync(path.join(repo, '.medsec.json'), `{"rules": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
    args: ['scan'],
    bar: (run) => exits(run, [2]) || within(run, 5) || oneLine(run),
  },
  {
    item: 5,
    name: 'scan: a link to /etc in the tree',
    setup: (repo) => {
      symlinkSync('/etc', path.join(repo, 'etc'));
      writeFileSync(path.join(repo, 'main.c'), 'int main(void) { return 0; }\n');
    },
    args: ['scan', '--format', 'json', '--fail-on', 'none'],
    said: (run) => skippedReason(run, 'etc'),
    bar: (run) => (/"path": "etc\//.test(run.stdout) ? 'files under /etc reported' : '') || (skippedReason(run, 'etc') ? '' : 'no note'),
  },
  {
    item: 5,
    name: 'fix: a linked source file outside the tree (--follow-symlinks)',
    setup: (repo, base) => {
      writeFileSync(path.join(base, 'outside.py'), 'import ssl\nctx = ssl._create_unverified_context()\n');
      symlinkSync(path.join(base, 'outside.py'), path.join(repo, 'linked.py'));
    },
    args: ['fix', '--follow-symlinks'],
    bar: (run, base) =>
      readFileSync(path.join(base, 'outside.py'), 'utf8').includes('_create_unverified_context') ? '' : 'target rewritten',
  },
  {
    item: 5,
    name: 'baseline: a committed .medsec-baseline.json link',
    setup: (repo, base) => {
      writeFileSync(path.join(base, 'victim.txt'), 'precious\n');
      symlinkSync(path.join(base, 'victim.txt'), path.join(repo, '.medsec-baseline.json'));
      writeFileSync(path.join(repo, 'main.c'), 'int main(void) { return 0; }\n');
    },
    args: ['baseline'],
    bar: (run, base) => (readFileSync(path.join(base, 'victim.txt'), 'utf8') === 'precious\n' ? '' : 'link target overwritten'),
  },
  {
    item: 5,
    name: '--output onto a scanned file (--output src/main.c)',
    setup: (repo) => {
      mkdirSync(path.join(repo, 'src'));
      writeFileSync(path.join(repo, 'src', 'main.c'), 'int main(void) { return 0; }\n');
    },
    args: ['scan', '--output', 'src/main.c'],
    bar: (run, base) =>
      exits(run, [2]) ||
      (readFileSync(path.join(base, 'repo', 'src', 'main.c'), 'utf8').startsWith('int main') ? '' : 'source overwritten'),
  },
  {
    item: 5,
    name: '--output through a link onto a scanned file',
    setup: (repo, base) => {
      writeFileSync(path.join(repo, 'main.c'), 'int main(void) { return 0; }\n');
      symlinkSync(path.join(repo, 'main.c'), path.join(base, 'report.txt'));
    },
    args: (base) => ['scan', '--output', path.join(base, 'report.txt')],
    bar: (run, base) =>
      exits(run, [2]) || (readFileSync(path.join(base, 'repo', 'main.c'), 'utf8').startsWith('int main') ? '' : 'source overwritten'),
  },
  {
    item: 6,
    name: 'fix: one of three targets not writable',
    setup: (repo) => {
      chmodSync(repo, 0o777);
      for (const name of ['a.py', 'b.py', 'c.py'])
        writeFileSync(path.join(repo, name), 'import ssl\nctx = ssl._create_unverified_context()\n', { mode: 0o644 });
      chmodSync(path.join(repo, 'b.py'), 0o444);
      if (asRoot) for (const name of ['a.py', 'c.py']) chownSync(path.join(repo, name), NOBODY, NOBODY);
    },
    args: ['fix'],
    asNobody: true,
    bar: (run, base) =>
      exits(run, [2]) ||
      (['a.py', 'b.py', 'c.py'].every((name) => readFileSync(path.join(base, 'repo', name), 'utf8').includes('_create_unverified'))
        ? ''
        : 'a file was changed'),
  },
  ...[
    ['../../etc/passwd', () => '../../etc/passwd'],
    ['/proc/self/environ', () => '/proc/self/environ'],
    ['a creds.json outside the workspace holding a token', (base) => path.join(base, 'creds.json')],
  ].map(([name, entry]) => ({
    item: 7,
    name: `extends ${name}`,
    setup: (repo, base) => {
      writeFileSync(path.join(base, 'creds.json'), JSON.stringify({ rules: { 'weak-hash': TOKEN } }));
      writeFileSync(path.join(repo, '.medsec.json'), JSON.stringify({ extends: [entry(base)] }));
    },
    args: ['scan'],
    bar: (run) => exits(run, [2]) || (`${run.stdout}${run.stderr}`.includes(TOKEN) ? 'token echoed' : ''),
  })),
  {
    item: 7,
    name: 'extends a creds.json inside the workspace whose value is invalid (secret echo)',
    setup: (repo) => {
      writeFileSync(path.join(repo, 'creds.json'), JSON.stringify({ rules: { 'weak-hash': TOKEN } }));
      writeFileSync(path.join(repo, '.medsec.json'), JSON.stringify({ extends: ['./creds.json'] }));
    },
    args: ['scan'],
    bar: (run) => exits(run, [2]) || (`${run.stdout}${run.stderr}`.includes(TOKEN) ? 'token echoed' : ''),
  },
  {
    item: 9,
    name: 'fix --dry-run next to a PEM key',
    setup: (repo) => writeFileSync(path.join(repo, 'keys.py'), PEM),
    args: ['fix', '--dry-run'],
    said: (run) =>
      run.stdout
        .split('\n')
        .filter((line) => /BEGIN|hidden|\*\*\*|END/.test(line))
        .join(' / '),
    bar: (run) =>
      PEM.split('\n')
        .slice(1, 3)
        .some((line) => run.stdout.includes(line))
        ? 'PEM body shown'
        : run.stdout.split('\n').some((line) => /line hidden/.test(line) && !/^[ +-]/.test(line))
          ? 'invalid diff line'
          : '',
  },
  {
    item: 10,
    name: '.medsec.json with a UTF-8 BOM',
    setup: (repo) => {
      writeFileSync(path.join(repo, '.medsec.json'), `\uFEFF${JSON.stringify({ rules: { 'weak-hash': 'off' } })}`);
      writeFileSync(path.join(repo, 'main.c'), 'int main(void) { return 0; }\n');
    },
    args: ['scan'],
    bar: (run) => exits(run, [0]),
  },
  {
    item: 10,
    name: 'a file name that is not valid UTF-8',
    setup: (repo) => {
      const name = Buffer.concat([Buffer.from(`${repo}/bad-`), Buffer.from([0xff, 0xfe]), Buffer.from('.c')]);
      writeFileSync(name, 'const char *password = "hunter2hunter2";\n');
    },
    args: ['scan', '--format', 'json', '--fail-on', 'none'],
    said: (run) => (run.stdout.match(/"(?:reason|message)": "[^"]*(?:UTF-8|name)[^"]*"/) ?? [''])[0],
    bar: (run) => exits(run, [0, 1]) || (/ENOENT/.test(run.stdout + run.stderr) ? 'ENOENT' : ''),
  },
  {
    item: 10,
    name: 'a slow custom rule (customRuleBudgetMs 1 on 60k lines)',
    setup: (repo) => {
      writeFileSync(
        path.join(repo, '.medsec.json'),
        JSON.stringify({
          customRuleBudgetMs: 1,
          customRules: [
            {
              id: 'acme/any-call',
              title: 'Any call',
              severity: 'low',
              languages: ['c'],
              message: 'a call of g',
              match: { regex: 'return g\\(1\\)', scope: 'code' },
            },
          ],
        }),
      );
      writeFileSync(path.join(repo, 'big.c'), 'int f(void) { return g(1); }\n'.repeat(60_000));
    },
    args: ['scan', '--fail-on', 'none'],
    said: (run) => run.stdout.split('\n').find((line) => /acme\/any-call/.test(line) && /budget|fail/i.test(line)) ?? '',
    bar: (run) => (/please report/i.test(run.stdout) ? 'listed as a failure to report' : /budget/.test(run.stdout) ? '' : 'no message'),
  },
];

// ---- running --------------------------------------------------------------------------------------------

/** Time bars are CPU seconds: this runs on shared machines, where wall-clock time says more about the load. */
function within(run, seconds) {
  return run.timedOut ? `over ${TIMEOUT_S} s` : run.cpu > seconds ? `${run.cpu.toFixed(1)} CPU s > ${seconds} s` : '';
}
function exits(run, codes) {
  return codes.includes(run.status) ? '' : `exit ${run.status}`;
}
function oneLine(run) {
  return run.stderr.trim().split('\n').length === 1 ? '' : 'more than one line';
}
function analysedOrNoted(run, file) {
  try {
    const report = JSON.parse(run.stdout);
    return report.files === undefined || report.summary.filesScanned >= 1 ? '' : `${file} missing`;
  } catch {
    return 'no JSON report';
  }
}
function skippedReason(run, file) {
  try {
    return JSON.parse(run.stdout).skipped.find((s) => s.path === file)?.reason ?? '';
  } catch {
    return '';
  }
}
/** The note on the file, or the first line of the error. */
function defaultSaid(run) {
  try {
    const report = JSON.parse(run.stdout);
    const note = report.notes?.[0]?.message;
    return note ? `note: ${note}` : `${report.findings.length} finding(s), analysed`;
  } catch {
    return (run.stderr.trim() || run.stdout.trim()).split('\n')[0] ?? '';
  }
}

function runOne(attack) {
  const base = mkdtempSync(path.join(os.tmpdir(), 'medsec-attack-'));
  const repo = path.join(base, 'repo');
  mkdirSync(repo);
  try {
    attack.setup(repo, base);
    const args = typeof attack.args === 'function' ? attack.args(base) : attack.args;
    const timeFile = path.join(base, 'time.txt');
    const nobody = attack.asNobody && asRoot;
    if (nobody) chmodSync(base, 0o777);
    const result = spawnSync(
      '/usr/bin/time',
      ['-o', timeFile, '-f', '%e %U %S %M %x', 'timeout', '-k', '5', String(TIMEOUT_S), process.execPath, BIN, ...args],
      { cwd: repo, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, ...(nobody ? { uid: NOBODY, gid: NOBODY } : {}) },
    );
    const [wall, user, system, rssKb, status] = existsSync(timeFile)
      ? readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number)
      : [NaN, NaN, NaN, NaN, result.status];
    const run = {
      status,
      timedOut: status === 124 || status === 137,
      wall,
      cpu: user + system,
      rssMb: rssKb / 1024,
      stdout: result.stdout ?? '',
      stderr: result.stderr ?? '',
    };
    const shortfall = attack.bar(run, base);
    const said = (attack.said ?? defaultSaid)(run) || defaultSaid(run);
    return { run, shortfall, said: said.replace(/\s+/g, ' ').slice(0, 160) };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

const only = options.only ? new Set(options.only.split(',').map(Number)) : undefined;
console.log(
  `medsec: ${BIN}; load average before: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
console.log('| # | attack | exit | wall s | CPU s | peak MB | what medsec said | bar |');
console.log('|---|---|---|---|---|---|---|---|');
let short = 0;
for (const attack of ATTACKS) {
  if (only && !only.has(attack.item)) continue;
  const { run, shortfall, said } = runOne(attack);
  if (shortfall) short++;
  const cells = [
    attack.item,
    attack.name,
    run.timedOut ? 'killed' : run.status,
    run.wall.toFixed(2),
    run.cpu.toFixed(2),
    run.rssMb.toFixed(0),
    said.replace(/\|/g, '\\|'),
    shortfall ? `**not met: ${shortfall}**` : 'met',
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
console.log(
  `\nload average after: ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; ${short} attack(s) short of the bar`,
);
process.exitCode = short ? 1 : 0;
