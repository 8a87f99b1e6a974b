import { describe, expect, it } from 'vitest';
import { maskSecret, redactSlice, redactText } from '../../server/src/core/redact';

describe('redaction', () => {
  it('keeps a short prefix and never the secret', () => {
    expect(maskSecret('Inf0Pump!2024')).toBe('Inf****');
    expect(maskSecret('abcd')).toBe('a****');
    expect(maskSecret('abc')).toBe('****');
  });

  it('masks every secret span in a slice, including one cut by the window', () => {
    const text = 'a = "hunter22"; b = "s3cr3tvalue"';
    const secrets = [{ start: 5, end: 13 }, { start: 21, end: 32 }];
    expect(redactSlice(text, 0, text.length, secrets)).toBe('a = "hu****"; b = "s3****"');
    expect(redactSlice(text, 8, text.length, secrets)).toBe('****"; b = "s3****"');
  });

  it('removes secret values from free text', () => {
    expect(redactText('value hunter22 leaked', ['hunter22'])).toBe('value hu**** leaked');
  });
});
