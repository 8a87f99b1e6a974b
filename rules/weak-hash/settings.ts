/**
 * Hash algorithms chosen in the project's configuration files: `hash.algorithm=MD5` in a `.properties` or
 * `.conf` file, read in code by `props.getProperty("hash.algorithm", "SHA-256")`. A configuration file
 * provides the fact `hash-setting` = `<key>=<ALGORITHM>` (upper case, no separators: MD5, SHA1, SHA256); the
 * code's finding holds when (or unless) a file of the same project provides the matching value, which the
 * engine settles after the whole scan (core/project-facts.ts).
 */
import type { ProjectCondition, RuleContext } from '../../server/src/core/types';

export const HASH_SETTING = 'hash-setting';

/** Hash algorithm names as a setting holds them, normalised. */
const WEAK = ['MD2', 'MD4', 'MD5', 'SHA1', 'SHA'];
const STRONG = ['SHA224', 'SHA256', 'SHA384', 'SHA512', 'SHA512224', 'SHA512256', 'SHA3224', 'SHA3256', 'SHA3384', 'SHA3512'];

/** `SHA-256` → SHA256, `md5` → MD5, `HmacSHA1` → SHA1. */
function normalise(name: string): string {
  return name
    .toUpperCase()
    .replace(/^HMAC/, '')
    .replace(/[-_/ ]/g, '');
}

/** A key of the kind settings use (`hash.algorithm`, `digest_alg`, `app.security.hash`), not free text. */
export function isSettingKey(key: string): boolean {
  return /^[A-Za-z][\w.-]{0,80}$/.test(key);
}

/** The finding holds when a file sets the key to a weak algorithm. */
export function weakSettingCondition(key: string): ProjectCondition {
  return { fact: HASH_SETTING, anyOf: WEAK.map((a) => `${key}=${a}`) };
}

/** The finding (a weak default) stands unless a file sets the key to a strong algorithm. */
export function strongSettingCondition(key: string): ProjectCondition {
  return { fact: HASH_SETTING, anyOf: STRONG.map((a) => `${key}=${a}`) };
}

/** Configuration files whose `key = value` lines a program reads as settings. */
const SETTINGS_FILE = /\.(?:properties|conf|cfg|ini)$/i;
/** `key = value`, `key: value`, `key value` (Java properties); the value up to the end of the line. */
const SETTING_LINE = /^[ \t]*([A-Za-z][\w.-]{0,80})[ \t]*[=:][ \t]*([A-Za-z0-9/_-]{2,20})[ \t]*$/gm;

/** Provides every setting of a configuration file whose value is a hash algorithm name. */
export function provideHashSettings(ctx: RuleContext): void {
  if (!SETTINGS_FILE.test(ctx.path)) return;
  const values: string[] = [];
  for (const m of ctx.text.content.matchAll(SETTING_LINE)) {
    const algorithm = normalise(m[2]);
    if (WEAK.includes(algorithm) || STRONG.includes(algorithm)) values.push(`${m[1]}=${algorithm}`);
  }
  if (values.length) ctx.provide(HASH_SETTING, values);
}
