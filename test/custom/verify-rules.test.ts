/** `medsec verify-rules`: custom rules checked against their own examples, with exit codes 0, 1 and 2. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { useTempProject } from '../helpers/project';

const BIN = path.join(__dirname, '..', '..', 'bin', 'medsec.js');
const project = useTempProject('verify-rules');

function verify(config: unknown, ...args: string[]) {
  project.write('.medsec.json', typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return spawnSync(process.execPath, [BIN, 'verify-rules', ...args], { cwd: project.dir, encoding: 'utf8' });
}

const rule = (examples: unknown) => ({
  customRules: [
    {
      id: 'acme/no-dev-unlock',
      title: 'dev unlock',
      severity: 'high',
      languages: ['c'],
      message: '{{fn}}() unlocks debug',
      match: { treeSitterQuery: '(call_expression function: (identifier) @fn (#eq? @fn "dev_unlock")) @match' },
      examples,
    },
  ],
});

describe('medsec verify-rules', () => {
  it('exits 0 when every example passes', () => {
    const result = verify(rule({ match: ['void f(void) { dev_unlock(1); }'], noMatch: ['void f(void) { dev_lock(); }'] }));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('1 custom rule(s) in .medsec.json: all 2 example(s) pass\n');
    expect(result.status).toBe(0);
  });

  it('exits 1 and lists every failing example with its position', () => {
    const result = verify(rule({ match: ['void f(void) { dev_lock(); }'], noMatch: ['void f(void) { dev_unlock(2); }'] }));
    const file = path.join(project.dir, '.medsec.json');
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      `medsec: ${file}:16:11: custom rule "acme/no-dev-unlock": example match[0] (c) produces no finding; fix the matcher or the example (at customRules[0].examples.match[0])`,
      `medsec: ${file}:19:11: custom rule "acme/no-dev-unlock": example noMatch[0] (c) produces 1 finding(s), the first on its line 1; fix the matcher or the example (at customRules[0].examples.noMatch[0])`,
    ]);
    expect(result.stdout).toBe('2 of 2 example(s) failed in 1 custom rule(s) of .medsec.json\n');
    expect(result.status).toBe(1);
  });

  it('exits 2 on an invalid configuration, and the scan refuses to run on a failing example', () => {
    const invalid = verify('{ "customRules": [ { "id": "nonamespace" } ] }');
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/\.medsec\.json:1:20: missing required property "title" \(at customRules\[0\]\)/);
    project.write('a.c', 'void f(void) { dev_unlock(1); }\n');
    verify(rule({ match: ['void f(void) { dev_lock(); }'] }));
    const scan = spawnSync(process.execPath, [BIN, 'scan', '.'], { cwd: project.dir, encoding: 'utf8' });
    expect(scan.status).toBe(2);
    expect(scan.stderr).toMatch(/example match\[0\] \(c\) produces no finding/);
  });

  it('with --config, checks that file', () => {
    project.write('rules/acme.json', JSON.stringify(rule({ match: ['void f(void) { dev_unlock(1); }'] })));
    const result = spawnSync(process.execPath, [BIN, 'verify-rules', '--config', 'rules/acme.json'], {
      cwd: project.dir,
      encoding: 'utf8',
    });
    expect(result.stdout).toBe('1 custom rule(s) in rules/acme.json: all 1 example(s) pass\n');
    expect(result.status).toBe(0);
  });
});
