/** Rule options wired through `ctx.options`: hardcoded-credential (extraNames, ignoreValues) and cleartext-protocol (allowedHosts). */
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import cleartextProtocol from '../rules/cleartext-protocol/rule';
import hardcodedCredential from '../rules/hardcoded-credential/rule';
import { checkFile } from '../server/src/core/check';
import { ConfigError, resolveConfig } from '../server/src/core/config';
import type { Rule } from '../server/src/core/types';
import { BUILTIN } from './helpers/registry';

async function lines(rule: Rule, options: Record<string, unknown>, text: string): Promise<number[]> {
  const result = await checkFile({ path: path.join(__dirname, 'x.c'), relativePath: 'src/x.c', text, language: 'c' }, [
    { rule, severity: rule.meta.severity, options },
  ]);
  expect(result.ruleFailures).toEqual([]);
  return result.findings.map((finding) => finding.range.start.line);
}

describe('hardcoded-credential options', () => {
  const code = 'const char *zorblax = "Xk29pq771abcQ";\nconst char *password = "Ward7-Pump-2291";\n';
  it('reports only built-in credential names by default', async () => {
    expect(await lines(hardcodedCredential, {}, code)).toEqual([1]);
  });
  it('extraNames adds project credential names', async () => {
    expect(await lines(hardcodedCredential, { extraNames: ['Zorblax'] }, code)).toEqual([0, 1]);
  });
  it('ignoreValues skips known non-secret values', async () => {
    expect(await lines(hardcodedCredential, { extraNames: ['zorblax'], ignoreValues: ['Ward7-Pump-2291'] }, code)).toEqual([0]);
  });
});

describe('cleartext-protocol options', () => {
  const code = 'const char *bench_url = "http://gw.bench.internal/api";\nconst char *cloud_url = "http://api.acme-cloud.com/v1";\n';
  it('reports every remote cleartext host by default', async () => {
    expect(await lines(cleartextProtocol, {}, code)).toEqual([0, 1]);
  });
  it('allowedHosts skips hosts that match a glob', async () => {
    expect(await lines(cleartextProtocol, { allowedHosts: ['*.bench.internal'] }, code)).toEqual([1]);
    expect(await lines(cleartextProtocol, { allowedHosts: ['GW.BENCH.INTERNAL', 'api.acme-?loud.com'] }, code)).toEqual([]);
  });
});

describe('options are validated when the configuration loads', () => {
  it('rejects an option of the wrong type with its position', () => {
    const text = '{\n  "rules": {\n    "cleartext-protocol": { "options": { "allowedHosts": [1] } }\n  }\n}';
    try {
      resolveConfig(text, path.join(__dirname, '.medsec.json'), __dirname, BUILTIN);
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toBe(
        `${path.join(__dirname, '.medsec.json')}:3:59: expected a string, found the number 1 (at rules.cleartext-protocol.options.allowedHosts[0])`,
      );
    }
  });
});
