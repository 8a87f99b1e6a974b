/**
 * Value-side knowledge for default-credential: the account names vendors use for service, factory and
 * support back doors (the default passwords and PINs themselves are in _shared/default-credentials.ts).
 */

/** Account names that, when shipped with a fixed password, are a service, factory or support back door. */
const BACKDOOR_ACCOUNTS = new Set([
  'service',
  'factory',
  'support',
  'debug',
  'maint',
  'maintenance',
  'tech',
  'technician',
  'engineer',
  'engineering',
  'diag',
  'diagnostic',
  'diagnostics',
  'manufacturer',
  'mfg',
  'fae',
  'root',
  'admin',
  'administrator',
  'guest',
  'installer',
  'superuser',
  'su',
  'field',
  'fieldservice',
  'servicetech',
]);

const bare = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');

/**
 * Whether `user` names a service, factory, support or administrative account. Web back ends sign users in by
 * e-mail address, and the account an address names is its local part (`root@openhim.org`, `admin@ward.local`).
 */
export function isBackdoorAccount(user: string): boolean {
  const at = user.indexOf('@');
  return BACKDOOR_ACCOUNTS.has(bare(at > 0 ? user.slice(0, at) : user));
}

/** Keys that name the user of an account record (`user`, `username`, `login`, `name`, `account`, `email`). */
export function isUserKey(key: string): boolean {
  return /^(?:user|username|user_name|usr|login|loginname|name|account|accountname|uid|id|email|e_mail|mail)$/i.test(
    key.replace(/^\./, ''),
  );
}

const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * `{ diabetic: "Diabetic", caregiver: "Caregiver", admin: "Administrator" }`: every value is its own key written out
 * for display (capitalised, spelled in full), as a map from role or status ids to the names a UI shows. An account
 * table pairs a user with a password that is not the user's name. A value equal to its key is left to the account
 * check (`{"admin": "admin"}` is a password equal to its user).
 */
export function isDisplayNameMap(entries: readonly { key: string; value: { kind: string; value?: string } }[]): boolean {
  if (entries.length < 2) return false;
  return entries.every(({ key, value }) => {
    const k = letters(key);
    const v = letters(value.value ?? '');
    return value.kind === 'string' && value.value !== key && k.length >= 3 && v.length >= 3 && (v.startsWith(k) || k.startsWith(v));
  });
}
