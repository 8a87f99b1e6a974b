/**
 * Well-known default passwords and PINs: what ships as a factory default and what every credential-stuffing
 * list starts with. default-credential reports them; the secrets pass leaves them to it, so a default is
 * reported once, as a default.
 */

/** Well-known default or trivially guessed passwords, compared lower-cased with blanks removed. */
const DEFAULT_PASSWORDS = new Set([
  'admin',
  'administrator',
  'admin1',
  'admin12',
  'admin123',
  'admin1234',
  'root',
  'toor',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'pass',
  'pass123',
  'changeme',
  'changeit',
  'default',
  'guest',
  'user',
  'test',
  'test123',
  'service',
  'factory',
  'support',
  'letmein',
  'qwerty',
  'manager',
  'operator',
  'maint',
  'maintenance',
  'system',
  'private',
  'public',
  'secret',
  'welcome',
  'abc123',
  'iloveyou',
  'postgres',
  'mysql',
  'mariadb',
  'raspberry',
  'vagrant',
  'ubnt',
  'cisco',
  'tomcat',
  'oracle',
  'rabbitmq',
  'elastic',
  'minioadmin',
  '0000',
  '00000',
  '000000',
  '00000000',
  '1111',
  '111111',
  '11111111',
  '1234',
  '12345',
  '123456',
  '1234567',
  '12345678',
  '123456789',
  '1234567890',
  '123123',
  '4321',
  '9999',
  '654321',
  '88888888',
  '987654321',
]);

/** Well-known default PINs and passkeys (a PIN slot accepts only digits, so the list is separate). */
const DEFAULT_PINS = new Set([
  '0000',
  '00000',
  '000000',
  '1111',
  '111111',
  '1234',
  '12345',
  '123456',
  '4321',
  '9999',
  '999999',
  '123123',
  '12345678',
  '654321',
  '2580',
  '1212',
]);

const bare = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');

/** Whether `value` is a well-known default password. */
export function isDefaultPassword(value: string): boolean {
  return DEFAULT_PASSWORDS.has(bare(value));
}

/** Whether `value` is a well-known default PIN or passkey. */
export function isDefaultPin(value: string): boolean {
  return DEFAULT_PINS.has(value.trim());
}
