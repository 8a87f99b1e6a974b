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
