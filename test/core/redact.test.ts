import { describe, expect, it } from 'vitest';
import { checkFile } from '../../server/src/core/check';
import type { Rule } from '../../server/src/core/types';
import { fakeRule } from '../helpers/project';
import { maskSecret, redactSlice, redactText } from '../../server/src/core/redact';

describe('redaction', () => {
  it('keeps a short prefix and never the secret', () => {
    expect(maskSecret('Inf0Pump!2024')).toBe('Inf****');
    expect(maskSecret('abcd')).toBe('a****');
    expect(maskSecret('abc')).toBe('****');
  });

  it('masks every secret span in a slice, including one cut by the window', () => {
    const text = 'a = "hunter22"; b = "s3cr3tvalue"';
    const secrets = [
      { start: 5, end: 13 },
      { start: 21, end: 32 },
    ];
    expect(redactSlice(text, 0, text.length, secrets)).toBe('a = "hu****"; b = "s3****"');
    expect(redactSlice(text, 8, text.length, secrets)).toBe('****"; b = "s3****"');
  });

  it('removes secret values from free text', () => {
    expect(redactText('value hunter22 leaked', ['hunter22'])).toBe('value hu**** leaked');
  });

  it('masks a value where it stands as a token, not inside a longer name or word', () => {
    expect(redactText("The password in 'ota_password' is 'password'", ['password'])).toBe("The pa**** in 'ota_password' is 'pa****'");
    expect(redactText('admin_timeout administer admin:x @admin', ['admin'])).toBe('admin_timeout administer a****:x @a****');
    expect(redactText('https://svc:p@ss!1@host', ['p@ss!1'])).toBe('https://svc:p@****@host');
    expect(redactText('xp@ss!1 p@ss!1x', ['p@ss!1'])).toBe('xp@**** p@****x');
  });
});

describe('snippets of findings', () => {
  it('mask every occurrence of a reported secret on the line, not only the reported one', async () => {
    const token = 'Zk7Qm2Xv9LbR4Tn8Wc1Yd6Hs';
    const text = `const char *pair = "${token}", *again = "${token}";\n`;
    const first = text.indexOf(token);
    const rule: Rule = {
      ...fakeRule('first-token'),
      check: (ctx) =>
        ctx.report({
          span: { start: first, end: first + token.length },
          message: 'token',
          secret: { start: first, end: first + token.length },
        }),
    };
    const result = await checkFile({ path: '/p/a.c', relativePath: 'a.c', text, language: 'c' }, [{ rule, severity: 'high', options: {} }]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0].snippet).not.toContain(token.slice(3));
  });
});
