/**
 * Issue 12, item 2: one file that takes too long (a 20,000-term expression took five minutes) is reported
 * as not analysed in every output, and the scan goes on and writes its output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { checkFile, parseFile, runRules } from '../../server/src/core/check';
import { FileBudget } from '../../server/src/core/file-budget';
import { loadConfig } from '../../server/src/core/config';
import { BUILTIN } from '../helpers/registry';
import { cArithmeticChain } from '../helpers/hostile-source';
import { cliIn, useTempProject } from '../helpers/project';

const project = useTempProject('budget');

const medsec = cliIn(project);

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
    const stuck = {
      ...other,
      rule: {
        ...other.rule,
        check: () => {
          for (;;);
        },
      },
    };
    const text = ['void setup(mbedtls_ssl_config *conf) {', '  mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);', '}', ''].join(
      '\n',
    );
    const input = { path: '/p/uplink.c', relativePath: 'uplink.c', language: 'c' as const, text };
    const started = Date.now();
    const result = await checkFile(input, [tls, stuck], 100);
    // The hard limit is 3 x 100 ms + 1 s after the model is built.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.notAnalysed).toBe(
      `not analysed: it exceeded the 100 ms per-file budget while running the rule ${other.rule.meta.id}, and its check was stopped; raise fileBudgetMs in .medsec.json to analyse it`,
    );
    expect(result.analysedInPart).toBe(true);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['tls-verification-disabled']);
  }, 60_000);

  it('names the rules not run when the hard stop comes between two rules, never an empty rule name', async () => {
    const config = loadConfig(process.cwd(), undefined, BUILTIN);
    const rules = config.rulesFor('idle.c').filter((effective) => effective.rule.meta.languages.includes('c'));
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
