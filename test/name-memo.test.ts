/** The memo rules keep for names across files: bounded, keeps the names in use, computes each name once while held. */
import { describe, expect, it } from 'vitest';
import { NameMemo, ownCopy } from '../rules/_shared/name-memo';

describe('NameMemo', () => {
  it('computes a name once while it is held, undefined results included', () => {
    const memo = new NameMemo<string | undefined>(100);
    let computed = 0;
    const compute = (name: string) => (computed++, name.startsWith('pass') ? name : undefined);
    for (let round = 0; round < 3; round++) {
      expect(memo.get('password', compute)).toBe('password');
      expect(memo.get('counter', compute)).toBeUndefined();
    }
    expect(computed).toBe(2);
  });

  it('never holds more names than its limit, however many it sees', () => {
    const memo = new NameMemo<number>(1000);
    for (let i = 0; i < 20_000; i++) memo.get(`name_${i}`, (name) => name.length);
    expect(memo.size).toBeLessThanOrEqual(1000);
    expect(memo.size).toBeGreaterThan(0);
  });

  it('keeps a name in use through the turnover of the names around it', () => {
    const memo = new NameMemo<number>(100);
    let hot = 0;
    for (let i = 0; i < 10_000; i++) {
      memo.get('wifiPassword', () => ++hot);
      memo.get(`once_${i}`, () => 0);
    }
    expect(hot).toBe(1);
  });

  it('computes from a copy equal to the name it was given', () => {
    const text = `int x = 0;\nconst char *wifi_password_for_station = "";\n`;
    const name = text.slice(text.indexOf('wifi'), text.indexOf(' =', 12));
    const memo = new NameMemo<string>(10);
    expect(memo.get(name, (own) => own)).toBe('wifi_password_for_station');
    expect(ownCopy(name)).toBe(name);
  });
});
