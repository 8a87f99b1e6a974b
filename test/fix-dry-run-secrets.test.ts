/**
 * `medsec fix --dry-run` shows source lines as diff context (issue 12, item 9): every line a secret spans
 * is masked, not only the first, and every masked line keeps its diff marker so the diff stays valid.
 */
import { describe, expect, it } from 'vitest';
import { runFixCommand } from '../server/src/cli/commands/fix';
import { useTempProject } from './helpers/project';

const project = useTempProject('fix-secrets');

const PEM_BODY = [
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw',
  '7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFc',
  'zGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE',
];

async function dryRun(): Promise<string> {
  let out = '';
  expect(await runFixCommand([project.dir], { dryRun: true }, undefined, (text) => (out += text))).toBe(0);
  return out;
}

/** Every line of a unified diff is a header, a hunk header, or a line with a ' ', '-' or '+' marker. */
function expectValidDiff(out: string): void {
  const body = out.split('\n').filter((line) => line && !/^(Would apply|Not fixed) /.test(line));
  expect(body.length).toBeGreaterThan(0);
  for (const line of body) expect(line).toMatch(/^(--- a\/|\+\+\+ b\/|@@ -\d+(,\d+)? \+\d+(,\d+)? @@$|[ +-])/);
}

describe('medsec fix --dry-run and secrets', () => {
  for (const eol of ['\n', '\r\n']) {
    it(`masks every line of a PEM key shown as context (${eol === '\n' ? 'LF' : 'CRLF'})`, async () => {
      const source = [
        'import ssl',
        'PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----',
        ...PEM_BODY,
        '-----END RSA PRIVATE KEY-----"""',
        'ctx = ssl._create_unverified_context()',
        '',
      ].join(eol);
      project.write('key.py', source);
      const out = await dryRun();
      expect(out).toContain('+ctx = ssl.create_default_context()');
      for (const line of PEM_BODY) {
        expect(out).not.toContain(line);
        expect(out).not.toContain(line.slice(10, 30));
      }
      expectValidDiff(out);
    });
  }

  it('masks a one-line secret on a changed line and keeps the rest of the line', async () => {
    project.write('app.py', 'import ssl\nctx = ssl._create_unverified_context(); API_TOKEN = "ghp_4Vq9ZkT2mXc8LwR1sYb7NdP3hJ6fGa0Ue5Ki"\n');
    const out = await dryRun();
    expect(out).not.toContain('4Vq9ZkT2mXc8LwR1sYb7NdP3hJ6fGa0Ue5Ki');
    expect(out).toContain('+ctx = ssl.create_default_context(); API_TOKEN');
    expectValidDiff(out);
  });
});
