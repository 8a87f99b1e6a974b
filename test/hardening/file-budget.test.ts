/**
 * Issue 12, item 2: one file that takes too long (a 20,000-term expression took five minutes) is reported
 * as not analysed in every output, and the scan goes on and writes its output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { describe, expect, it } from 'vitest';
import { checkFile, checkFiles, parseFile, runRules } from '../../server/src/core/check';
import { FileBudget } from '../../server/src/core/file-budget';
import { threadCpuMs } from '../../server/src/core/thread-cpu';
import { loadConfig } from '../../server/src/core/config';
import type { EffectiveRule } from '../../server/src/core/types';
import { BUILTIN } from '../helpers/registry';
import { cArithmeticChain } from '../helpers/hostile-source';
import { cliIn, useTempProject } from '../helpers/project';

const project = useTempProject('budget');

const medsec = cliIn(project);

/** A C file with one finding of tls-verification-disabled. */
const UPLINK = ['void setup(mbedtls_ssl_config *conf) {', '  mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);', '}', ''].join(
  '\n',
);

/** The thread waits `ms` without using the CPU, as a thread waiting for a core on a loaded machine does. */
function descheduled(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

async function wallMsOf(work: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await work();
  return Date.now() - started;
}

/**
 * How long a check with a rule that never returns may take: at most the ceiling of its budget (the hard stop,
 * extended once on a loaded machine), and ten times what the same check without that rule took in the same test,
 * which a loaded machine slows alike. Without the interrupt, the check never ends.
 */
function stuckCheckBound(budgetMs: number, baselineMs: number): number {
  return new FileBudget(budgetMs).ceilingMs() + 10 * baselineMs;
}

/** The effective rule `of` with its check replaced: a rule that hangs, waits or counts its runs. */
function withCheck(of: EffectiveRule, check: () => void): EffectiveRule {
  // Another check, so not the original's pre-filter (meta.needs describes what that check reads): it runs on any file.
  return { ...of, rule: { ...of.rule, meta: { ...of.rule.meta, needs: undefined }, check } };
}

/** tls-verification-disabled, and a rule of `rules` for C other than it. */
function uplinkRules() {
  const rules = loadConfig(process.cwd(), undefined, BUILTIN).rulesFor('uplink.c');
  const tls = rules.find((effective) => effective.rule.meta.id === 'tls-verification-disabled')!;
  const other = rules.find((effective) => effective.rule.meta.id !== tls.rule.meta.id && effective.rule.meta.languages.includes('c'))!;
  return { tls, other };
}

describe('per-file time budget', () => {
  it('defaults to 5 s and is read from fileBudgetMs', () => {
    expect(loadConfig(process.cwd(), undefined, BUILTIN).fileBudgetMs).toBe(5_000);
    project.write('.medsec.json', JSON.stringify({ fileBudgetMs: 250 }));
    expect(loadConfig(project.dir, undefined, BUILTIN).fileBudgetMs).toBe(250);
  });

  it('stops work on a file over budget and says so', async () => {
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    const input = { path: '/p/chain.c', relativePath: 'chain.c', language: 'c' as const, text: cArithmeticChain(20_000) };
    const result = await checkFile(input, config.rulesFor('chain.c'), 1);
    expect(result.notAnalysed).toMatch(/^not analysed: it exceeded the 1 ms per-file budget while /);
    expect(result.notes).toContain(result.notAnalysed);
    const unlimited = await checkFile(input, config.rulesFor('chain.c'));
    expect(unlimited.notAnalysed).toBeUndefined();
  }, 60_000);

  it('stops one rule that never returns past the hard limit, and keeps the findings of the rules before it', async () => {
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    const rules = config.rulesFor('uplink.c');
    const tls = rules.find((effective) => effective.rule.meta.id === 'tls-verification-disabled')!;
    const other = rules.find((effective) => effective.rule.meta.id !== tls.rule.meta.id && effective.rule.meta.languages.includes('c'))!;
    // A rule stuck in a loop, as a rule on pathological input would be: only an interrupt ends it.
    const stuck = withCheck(other, () => {
      for (;;);
    });
    const text = ['void setup(mbedtls_ssl_config *conf) {', '  mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);', '}', ''].join(
      '\n',
    );
    const input = { path: '/p/uplink.c', relativePath: 'uplink.c', language: 'c' as const, text };
    const baselineMs = await wallMsOf(() => checkFile(input, [tls], 100));
    const started = Date.now();
    const result = await checkFile(input, [tls, stuck], 100);
    // The hard limit is 3 x 100 ms + 1 s after the model is built (the ceiling, 4 times that, on a loaded machine).
    expect(Date.now() - started).toBeLessThan(stuckCheckBound(100, baselineMs));
    expect(result.notAnalysed).toBe(
      `not analysed: it exceeded the 100 ms per-file budget while running the rule ${other.rule.meta.id}, and its check was stopped; raise fileBudgetMs in .medsec.json to analyse it`,
    );
    expect(result.analysedInPart).toBe(true);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['tls-verification-disabled']);
  }, 60_000);

  it('names the rules not run when the hard stop comes between two rules, never an empty rule name', async () => {
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    // Two rules that run on this file: a rule with a pre-filter (meta.needs) is skipped on it, and never starts.
    const rules = config
      .rulesFor('idle.c')
      .filter((effective) => effective.rule.meta.languages.includes('c') && !effective.rule.meta.needs);
    const [first, second] = rules;
    // Work between two rules that never ends (here the phase listener, as a stalled progress report would be).
    const budget = new FileBudget(100, (phase) => {
      if (phase === `running the rule ${second.rule.meta.id}`) for (;;);
    });
    const input = { path: '/p/idle.c', relativePath: 'idle.c', language: 'c' as const, text: 'int idle(void) { return 0; }\n' };
    const parsed = await parseFile(input, undefined, budget);
    const result = runRules(input, parsed, [first, second], undefined, budget);
    parsed.tree?.delete();
    expect(result.notAnalysed).toBe(
      `not analysed: it exceeded the 100 ms per-file budget while running the rules, and they were stopped (not run: ${second.rule.meta.id}); raise fileBudgetMs in .medsec.json to analyse it`,
    );
  }, 60_000);

  it('reports the file in text, JSON and SARIF, exits 0 and writes the output', () => {
    project.write('.medsec.json', JSON.stringify({ fileBudgetMs: 1 }));
    project.write('chain.c', cArithmeticChain(20_000));

    const json = medsec('scan', '--format', 'json', '--jobs', '1', '--fail-on', 'none');
    expect(json.status).toBe(0);
    const notes = (JSON.parse(json.stdout) as { notes: { path: string; message: string }[] }).notes;
    expect(notes).toContainEqual({ path: 'chain.c', message: expect.stringMatching(/^not analysed: it exceeded the/) });

    expect(medsec('scan', '--format', 'sarif', '--jobs', '1', '--fail-on', 'none', '--output', 'out.sarif').status).toBe(0);
    const sarif = JSON.parse(fs.readFileSync(path.join(project.dir, 'out.sarif'), 'utf8'));
    const notifications = sarif.runs[0].invocations[0].toolExecutionNotifications as {
      descriptor: { id: string };
      message: { text: string };
    }[];
    expect(notifications).toContainEqual(
      expect.objectContaining({
        descriptor: { id: 'file-not-analysed' },
        message: { text: expect.stringMatching(/^chain\.c: not analysed: it exceeded the/) },
      }),
    );

    const text = medsec('scan', '--jobs', '1', '--fail-on', 'none');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/chain\.c: not analysed: it exceeded the/);
  }, 120_000);
});

describe('the per-file budget on a loaded machine', () => {
  it('rests on the work the file did: wall-clock time alone, or CPU time alone, does not spend it', () => {
    const clock = { wall: 0, cpu: 0 };
    const budget = new FileBudget(1_000, undefined, { wallMs: () => clock.wall, cpuMs: () => clock.cpu });
    budget.start();
    clock.wall = 10_000; // a machine so loaded the thread ran for 0.5 s in 10 s
    clock.cpu = 500;
    expect(budget.spent()).toBe(false);
    // The hard stop (3 x 1 s + 1 s) is past: the cut is extended to the ceiling, once.
    expect(budget.untilHardStop()).toBe(1);
    expect(budget.extend()).toBe(true);
    expect(budget.untilHardStop()).toBe(budget.ceilingMs() - 10_000);
    expect(budget.extend()).toBe(false);
    clock.cpu = 1_001;
    expect(budget.spent()).toBe(true);

    const busy = new FileBudget(1_000, undefined, { wallMs: () => clock.wall, cpuMs: () => clock.cpu });
    clock.wall = 0;
    busy.start();
    clock.wall = 4_001;
    clock.cpu += 4_001;
    // Its own work is over budget: the hard stop stands.
    expect(busy.extend()).toBe(false);
  });

  it('measures the checking thread, not the process: busy threads beside it do not spend its budget', async () => {
    const { tls, other } = uplinkRules();
    const limit = 200;
    // Threads that keep the process's CPU time growing while the check runs (a scan pool's other workers): four,
    // so that they get their share of a loaded machine's cores.
    const spinners = [0, 1, 2, 3].map(() => new Worker('const end = Date.now() + 60000; while (Date.now() < end);', { eval: true }));
    // The process's CPU time counts from before the check, not from each run of the rule: on a loaded machine the
    // wait can outlast the hard stop, and the rule run again after the stop is extended goes on where it was.
    const from = process.cpuUsage();
    const processCpuMs = () => (process.cpuUsage(from).user + process.cpuUsage(from).system) / 1000;
    // Waits, without using the CPU itself, until the process has used more than twice the budget.
    const waits = withCheck(other, () => {
      const until = Date.now() + 30_000;
      do descheduled(20);
      while (processCpuMs() < 2 * limit && Date.now() < until);
    });
    try {
      const started = threadCpuMs();
      const input = { path: '/p/uplink.c', relativePath: 'uplink.c', language: 'c' as const, text: UPLINK };
      const result = await checkFile(input, [waits, tls], limit);
      // What makes the case: the process spent more than twice the budget during the check, its thread less than it.
      expect(processCpuMs()).toBeGreaterThan(2 * limit);
      expect(threadCpuMs() - started).toBeLessThan(limit);
      expect(result.notAnalysed).toBeUndefined();
      expect(result.findings.map((finding) => finding.ruleId)).toEqual(['tls-verification-disabled']);
    } finally {
      await Promise.all(spinners.map((spinner) => spinner.terminate()));
    }
  }, 60_000);

  it('runs again a rule cut at the hard stop while the file was under its CPU budget, and analyses the file', async () => {
    const { tls, other } = uplinkRules();
    const limit = 200;
    const budget = new FileBudget(limit);
    // Each run of the rule takes longer than the hard stop in wall-clock time but no CPU time.
    let runs = 0;
    const slow = withCheck(other, () => {
      runs++;
      descheduled(budget.hardStopMs() + 200);
    });
    const input = { path: '/p/uplink.c', relativePath: 'uplink.c', language: 'c' as const, text: UPLINK };
    const parsed = await parseFile(input, undefined, budget);
    const result = runRules(input, parsed, [tls, slow], undefined, budget);
    parsed.tree?.delete();
    expect(runs).toBe(2);
    expect(result.notAnalysed).toBeUndefined();
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['tls-verification-disabled']);
  }, 60_000);

  it('still stops a file whose own work is over budget, however slow the machine says it is', async () => {
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    // Wall-clock time runs ten times faster than on this machine; CPU time is the thread's own.
    const origin = performance.now();
    const loaded = { wallMs: () => origin + 10 * (performance.now() - origin), cpuMs: threadCpuMs };
    const budget = new FileBudget(20, undefined, loaded);
    // Its own work must be over the budget: a 10,000-term chain now models and checks in less than 20 ms of CPU.
    const input = { path: '/p/chain.c', relativePath: 'chain.c', language: 'c' as const, text: cArithmeticChain(40_000) };
    const parsed = await parseFile(input, undefined, budget);
    const result = runRules(input, parsed, config.rulesFor('chain.c'), undefined, budget);
    parsed.tree?.delete();
    expect(result.notAnalysed).toMatch(/^not analysed: it exceeded the 20 ms per-file budget while /);
  }, 60_000);
});

describe('files checked in a batch under one watchdog (checkFiles)', () => {
  const input = (name: string, text: string) => ({ path: `/p/${name}`, relativePath: name, language: 'c' as const, text });

  it('gives each file the result checkFile gives it', async () => {
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    const inputs = [
      input('uplink.c', UPLINK),
      input('idle.c', 'int idle(void) { return 0; }\n'),
      input('chain.c', cArithmeticChain(2_000)),
    ];
    const batch = await checkFiles(inputs.map((i) => ({ input: i, rules: config.rulesFor(i.relativePath), budgetMs: 5_000 })));
    const single = await Promise.all(inputs.map((i) => checkFile(i, config.rulesFor(i.relativePath), 5_000)));
    expect(batch).toEqual(single);
    expect(batch[0].findings.map((finding) => finding.ruleId)).toEqual(['tls-verification-disabled']);
  }, 60_000);

  it("stops the one rule that never returns at its file's hard stop, and checks the files before and after it", async () => {
    const { tls, other } = uplinkRules();
    const stuck = withCheck(other, () => {
      for (;;);
    });
    const baselineMs = await wallMsOf(() =>
      checkFiles(['a.c', 'b.c', 'c.c'].map((name) => ({ input: input(name, UPLINK), rules: [tls] }))),
    );
    const started = Date.now();
    const [before, hung, after] = await checkFiles([
      // A larger budget: the batch's watchdog (this file's hard stop, 1.6 s) comes after the stuck file's own (1.3 s).
      { input: input('a.c', UPLINK), rules: [tls], budgetMs: 200 },
      { input: input('b.c', UPLINK), rules: [tls, stuck], budgetMs: 100 },
      { input: input('c.c', UPLINK), rules: [tls], budgetMs: 100 },
    ]);
    expect(Date.now() - started).toBeLessThan(stuckCheckBound(200, baselineMs));
    expect(hung.notAnalysed).toBe(
      `not analysed: it exceeded the 100 ms per-file budget while running the rule ${other.rule.meta.id}, and its check was stopped; raise fileBudgetMs in .medsec.json to analyse it`,
    );
    expect(hung.findings.map((finding) => finding.ruleId)).toEqual(['tls-verification-disabled']);
    for (const result of [before, after]) {
      expect(result.notAnalysed).toBeUndefined();
      expect(result.findings.map((finding) => finding.ruleId)).toEqual(['tls-verification-disabled']);
    }
  }, 60_000);

  it("lets a file go on when the batch's watchdog came for an earlier file's time, not its own", async () => {
    const { tls, other } = uplinkRules();
    // The first file (a 100 ms budget: a hard stop at 1.3 s) sets the batch's watchdog. The second file starts
    // 0.7 s in; its rule, waiting without using the CPU, is cut at 1.3 s, within its own hard stop (4 s), and runs again.
    let runs = 0;
    const slow = withCheck(other, () => {
      runs++;
      descheduled(700);
    });
    const results = await checkFiles([
      { input: input('a.c', UPLINK), rules: [slow, tls], budgetMs: 100 },
      { input: input('b.c', UPLINK), rules: [slow, tls], budgetMs: 1_000 },
    ]);
    for (const result of results) {
      expect(result.notAnalysed).toBeUndefined();
      expect(result.findings.map((finding) => finding.ruleId)).toEqual(['tls-verification-disabled']);
    }
    expect(runs).toBe(3);
  }, 60_000);

  it('checks the files after one whose model used up its budget (its hard stop long past)', async () => {
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    const [chain, uplink] = await checkFiles([
      { input: input('chain.c', cArithmeticChain(20_000)), rules: config.rulesFor('chain.c'), budgetMs: 1 },
      { input: input('uplink.c', UPLINK), rules: config.rulesFor('uplink.c'), budgetMs: 5_000 },
    ]);
    expect(chain.notAnalysed).toMatch(/^not analysed: it exceeded the 1 ms per-file budget while building the code model/);
    expect(uplink.notAnalysed).toBeUndefined();
    expect(uplink.findings.map((finding) => finding.ruleId)).toEqual(['tls-verification-disabled']);
  }, 60_000);

  it("does not count the time between a file's model and its rules (other files of the batch) against it", () => {
    const clock = { wall: 0, cpu: 0 };
    const budget = new FileBudget(1_000, undefined, { wallMs: () => clock.wall, cpuMs: () => clock.cpu });
    budget.start();
    clock.wall = clock.cpu = 600;
    budget.pause();
    clock.wall = clock.cpu = 5_000; // the batch's other files
    expect(budget.spent()).toBe(false);
    expect(budget.untilHardStop()).toBe(budget.hardStopMs() - 600);
    budget.resume();
    clock.wall = clock.cpu = 5_300;
    expect(budget.spent()).toBe(false);
    clock.wall = clock.cpu = 5_401;
    expect(budget.spent()).toBe(true);
  });
});
