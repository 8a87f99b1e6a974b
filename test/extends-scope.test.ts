/**
 * `extends` stays inside the workspace, and a configuration error never quotes what could be a secret
 * (issue 12, item 7).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { couldBeSecret } from '../server/src/core/config-scope';

const BIN = path.resolve(__dirname, '..', 'bin', 'medsec.js');
const TOKEN = 'ghp_4Vq9ZkT2mXc8LwR1sYb7NdP3hJ6fGa0Ue5Ki';

let base: string;
let repo: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-extends-'));
  repo = path.join(base, 'repo');
  fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
  fs.mkdirSync(path.join(repo, '.git'));
  fs.writeFileSync(path.join(repo, 'src', 'a.c'), 'int x;\n');
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

function write(relative: string, content: string): string {
  const file = path.join(base, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

function scan(...extra: string[]) {
  return spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', ...extra], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, MEDSEC_PLANTED_TOKEN: TOKEN },
  });
}

describe('extends reads only the workspace, its node_modules and what the command line names', () => {
  const outsideEntries = [
    ['a path that climbs out', () => '../outside/creds.json'],
    ['an absolute path', () => path.join(base, 'outside', 'creds.json')],
    ['/proc/self/environ', () => '/proc/self/environ'],
    ['a link inside the workspace to a file outside', () => './linked.json'],
  ] as const;
  for (const [name, entry] of outsideEntries) {
    it(`refuses ${name}`, () => {
      write('outside/creds.json', JSON.stringify({ rules: { 'weak-hash': TOKEN } }));
      fs.symlinkSync(path.join(base, 'outside', 'creds.json'), path.join(repo, 'linked.json'));
      write('repo/.medsec.json', JSON.stringify({ extends: [entry()] }));
      const run = scan();
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/will not read extended file .*outside the workspace/);
      expect(run.stderr).not.toContain(TOKEN);
      expect(run.stdout).toBe('');
    });
  }

  it('reads a file elsewhere in the same repository, and one beside the file given to --config', () => {
    write('repo/shared/base.json', '{ "rules": { "weak-hash": "low" } }');
    write('repo/fw/.medsec.json', '{ "extends": ["../shared/base.json"] }');
    fs.writeFileSync(path.join(repo, 'fw', 'b.c'), 'int y;\n');
    expect(spawnSync(process.execPath, [BIN, 'scan', '.'], { cwd: path.join(repo, 'fw'), encoding: 'utf8' }).status).toBe(0);
    write('team/base.json', '{ "rules": { "weak-hash": "low" } }');
    write('team/medsec.json', '{ "extends": ["./base.json"] }');
    expect(scan('--config', path.join(base, 'team', 'medsec.json')).status).toBe(0);
  });

  it('reads an npm package installed in node_modules, but not a path that leaves the package', () => {
    write('repo/node_modules/acme-rules/package.json', '{ "name": "acme-rules", "medsec": "./rules.json" }');
    write('repo/node_modules/acme-rules/rules.json', '{ "rules": { "weak-hash": "low" } }');
    write('repo/.medsec.json', '{ "extends": ["acme-rules"] }');
    expect(scan().status).toBe(0);
    write('outside/creds.json', JSON.stringify({ token: TOKEN }));
    write('repo/node_modules/acme-rules/package.json', '{ "name": "acme-rules", "medsec": "../../../outside/creds.json" }');
    const run = scan();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/outside the workspace/);
  });
});

describe('configuration errors never quote a value that could be a secret', () => {
  const shapes: [string, unknown][] = [
    ['a string where an object belongs', TOKEN],
    ['a token as a severity', { rules: { 'weak-hash': TOKEN } }],
    ['a token as a key', { [TOKEN]: 'alice' }],
    ['a token as a rule id', { rules: { [TOKEN]: 'high' } }],
    ['a token where a number belongs', { maxFileSize: TOKEN }],
    ['a token as an option name', { rules: { 'hardcoded-credential': { severity: 'high', options: { [TOKEN]: 1 } } } }],
  ];
  for (const [name, content] of shapes) {
    it(`in a workspace file extended by the config: ${name}`, () => {
      write('repo/creds.json', JSON.stringify(content));
      write('repo/.medsec.json', '{ "extends": ["./creds.json"] }');
      const run = scan();
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^medsec: .*creds\.json:\d+:\d+: /);
      expect(run.stderr).not.toContain(TOKEN);
      expect(run.stderr).not.toContain(TOKEN.slice(4, 20));
    });
  }

  it('in a JSON syntax error whose location is under a token key', () => {
    write('repo/creds.json', `{ "${TOKEN}": { "a": } }`);
    write('repo/.medsec.json', '{ "extends": ["./creds.json"] }');
    const run = scan();
    expect(run.status).toBe(2);
    expect(run.stderr).not.toContain(TOKEN);
  });

  it('still quotes the ordinary words a configuration holds, with suggestions', () => {
    write('repo/.medsec.json', '{ "rules": { "weak-hash": "hihg" } }');
    const run = scan();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/"hihg" is not allowed \(did you mean "high"\?\)/);
    for (const word of ['maxFileSize', 'customRuleBudgetMs', 'medsec:recommended', 'src/**/*.c', '@acme/medsec-rules', 'weak-hash']) {
      expect(couldBeSecret(word)).toBe(false);
    }
    for (const secret of [TOKEN, 'AKIAIOSFODNN7EXAMPLE', 'dGhpcyBpcyBzZWNyZXQ=', 'Password1!', 'x'.repeat(41)]) {
      expect(couldBeSecret(secret)).toBe(true);
    }
  });
});
