/**
 * The engine runs whatever registry it is handed: here one stand-in rule and a three-key taxonomy, and not
 * one built-in rule. Presets, rule ids, custom rules' taxonomy keys and scans all follow the registry.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../server/src/core/config';
import { scan } from '../../server/src/core/scan';
import type { Rule, RuleRegistry, Taxonomy } from '../../server/src/core/types';
import { useTempProject } from '../helpers/project';

const STUB_TAXONOMY: Taxonomy = {
  cwe: { 1: 'Stand-in weakness' },
  fda: { 'stub.1': { title: 'Stand-in expectation' } },
  iec62443: { 'CR 0.1': { title: 'Stand-in requirement' } },
};

/** Reports every TODO in a C file. */
const todoRule: Rule = {
  meta: {
    id: 'todo-marker',
    title: 'TODO left in the code',
    severity: 'low',
    confidence: 'high',
    languages: ['c'],
    cwe: [1],
    fda: ['stub.1'],
    iec62443: [],
    fix: 'none',
    presets: ['recommended'],
    docs: { summary: 'Finds TODO.', risk: 'None.', fix: 'Do it.', examples: [], fixSafety: 'No fix.', references: [] },
  },
  check(context) {
    for (const match of context.text.content.matchAll(/TODO/g)) {
      context.report({ span: { start: match.index, end: match.index + 4 }, message: 'TODO left in the code' });
    }
  },
};

const registry: RuleRegistry = { rules: [todoRule], taxonomy: STUB_TAXONOMY };
const project = useTempProject('stub-registry');
const WORKER = path.resolve(__dirname, '..', '..', 'dist', 'scan-worker.js');

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function customRule(taxonomyKeys: { cwe?: number[]; fda?: string[] }) {
  return {
    id: 'acme/fixme',
    title: 'FIXME',
    severity: 'low',
    languages: ['c'],
    message: 'FIXME',
    match: { regex: 'FIXME', scope: 'comment' },
    ...taxonomyKeys,
  };
}

describe('an engine handed a stand-in registry', () => {
  it('builds presets from the handed rules and knows no other rule id', () => {
    const config = resolveConfig({ extends: ['medsec:recommended'] }, undefined, project.dir, { registry });
    expect(config.enabledRules().map((effective) => effective.rule.meta.id)).toEqual(['todo-marker']);
    expect(config.registry).toBe(registry);
    const error = configError(() => resolveConfig({ rules: { 'weak-hash': 'off' } }, undefined, project.dir, { registry }));
    expect(error.detail).toMatch(/^unknown rule "weak-hash"/);
  });

  it('checks custom rules against the handed taxonomy', () => {
    const cited = { extends: [], customRules: [customRule({ cwe: [1], fda: ['stub.1'] })] };
    expect(
      resolveConfig(cited, undefined, project.dir, { registry })
        .enabledRules()
        .map((effective) => effective.rule.meta.id),
    ).toEqual(['acme/fixme']);
    const builtinCwe = { extends: [], customRules: [customRule({ cwe: [798] })] };
    expect(configError(() => resolveConfig(builtinCwe, undefined, project.dir, { registry })).key).toBe('customRules[0].cwe[0]');
    const builtinFda = { extends: [], customRules: [customRule({ fda: ['app1.A.5'] })] };
    expect(configError(() => resolveConfig(builtinFda, undefined, project.dir, { registry })).detail).toMatch(
      /^unknown FDA key "app1.A.5"/,
    );
  });

  it('scans with the stand-in rule, in-process even when given a worker script built with the built-in rules', async () => {
    project.write('src/a.c', 'int a; // TODO check the length\n');
    project.write('src/b.c', 'int b;\n/* TODO */ int c;\n');
    const config = resolveConfig({ extends: ['medsec:recommended'] }, undefined, project.dir, { registry });
    const inProcess = await scan({ root: project.dir, paths: [], config, workers: 1 });
    const lines = inProcess.files.flatMap((file) =>
      file.findings.map((finding) => `${file.path}:${finding.range.start.line + 1}:${finding.ruleId}`),
    );
    expect(lines).toEqual(['src/a.c:1:todo-marker', 'src/b.c:2:todo-marker']);
    if (!fs.existsSync(WORKER)) throw new Error('dist/scan-worker.js is missing: run `node scripts/build.mjs` (npm test does)');
    // The worker rebuilds the configuration with the built-in rules, sees they are not these, and refuses.
    const offered = await scan({ root: project.dir, paths: [], config, workers: 2, workerScript: WORKER });
    expect(offered.files).toEqual(inProcess.files);
  });
});
