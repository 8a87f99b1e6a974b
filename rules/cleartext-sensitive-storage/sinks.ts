/**
 * Storage calls that write to unencrypted persistent storage, per platform, with the argument positions of
 * the storage key (when the API is keyed) and of the stored value.
 */
import type { Call, Import } from '../../server/src/core/model/types';
import type { LanguageId } from '../../server/src/core/types';

export type StorageKind =
  'nvs' | 'settings' | 'preferences' | 'eeprom' | 'file' | 'shared-preferences' | 'web-storage' | 'async-storage' | 'properties';

export interface StorageSink {
  kind: StorageKind;
  /** Argument index of the storage key, for keyed stores. */
  key?: number;
  value: number;
}

/**
 * The storage sink `call` is, if any. `fileHandles` are names bound to `open(...)` in Python; `asyncStores` the
 * names React Native's AsyncStorage is imported as in a JS/TS file (asyncStorageNames).
 */
export function storageSinkOf(
  call: Call,
  language: LanguageId,
  fileHandles: ReadonlySet<string>,
  asyncStores: ReadonlySet<string> = NO_NAMES,
): StorageSink | undefined {
  // The receiver is resolved on first use: only for the few call names a store has.
  let receiverText: string | undefined;
  const receiver = () => (receiverText ??= call.receiver?.text.replace(/^this\.|^self\./, '') ?? '');
  const lastReceiver = () => receiver().split('.').pop() ?? '';
  switch (language) {
    case 'c':
    case 'cpp':
      if (call.name === 'nvs_set_str' || call.name === 'nvs_set_blob') return { kind: 'nvs', key: 1, value: 2 };
      if (call.name === 'settings_save_one') return { kind: 'settings', key: 0, value: 1 };
      if (/^(?:putString|putBytes)$/.test(call.name) && /pref/i.test(receiver())) return { kind: 'preferences', key: 0, value: 1 };
      if (/^(?:put|writeString|writeBytes)$/.test(call.name) && /^EEPROM$/.test(receiver())) return { kind: 'eeprom', value: 1 };
      if (call.name === 'fwrite') return { kind: 'file', value: 0 };
      if (call.name === 'fputs') return isStdStream(call.args[1]?.text) ? undefined : { kind: 'file', value: 0 };
      if (call.name === 'fprintf') return isStdStream(call.args[0]?.text) ? undefined : { kind: 'file', value: 2 };
      return undefined;
    case 'python':
      if (call.name === 'write' && (/^open\(/.test(receiver()) || fileHandles.has(receiver()))) return { kind: 'file', value: 0 };
      if (call.name === 'write_text' || call.name === 'write_bytes') return { kind: 'file', value: 0 };
      if (/^(?:json|yaml|pickle|toml)\.dump$/.test(call.callee)) return { kind: 'file', value: 0 };
      return undefined;
    case 'java':
    case 'kotlin':
      if (/^(?:putString|putStringSet)$/.test(call.name) && (/edit\(\)|editor|pref|sharedpref/i.test(receiver()) || !receiver()))
        return { kind: 'shared-preferences', key: 0, value: 1 };
      if (call.name === 'setProperty' && /prop/i.test(lastReceiver())) return { kind: 'properties', key: 0, value: 1 };
      if (
        /^(?:write|writeString|writeText|writeBytes)$/.test(call.name) &&
        /^(?:Files|File|Paths?)$|writer|fos|(?:file|output)(?:stream)?$/i.test(lastReceiver() || call.callee)
      ) {
        return { kind: 'file', value: /^Files$/.test(lastReceiver()) ? 1 : 0 };
      }
      if ((call.name === 'writeText' || call.name === 'writeBytes') && receiver()) return { kind: 'file', value: 0 };
      return undefined;
    case 'typescript':
    case 'javascript':
      if (call.name === 'setItem' && /(?:^|\.)(?:localStorage|sessionStorage)$/.test(receiver()))
        return { kind: 'web-storage', key: 0, value: 1 };
      if (call.name === 'setItem' && asyncStores.has(receiver())) return { kind: 'async-storage', key: 0, value: 1 };
      if (
        /^(?:writeFile|writeFileSync|appendFile|appendFileSync)$/.test(call.name) &&
        /(?:^|\.)(?:fs|promises|fsp|fsPromises)$/.test(receiver() || 'fs')
      )
        return { kind: 'file', value: 1 };
      return undefined;
    default:
      return undefined;
  }
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** The packages that export React Native's AsyncStorage (the community module and its older names). */
const ASYNC_STORAGE_MODULES = new Set(['@react-native-async-storage/async-storage', '@react-native-community/async-storage']);

/**
 * The local names AsyncStorage is imported as: the default export of its package, or the `AsyncStorage` that
 * `react-native` itself exported until 0.60. Another object with a `setItem` (an encrypted store, a cache) is not it.
 */
export function asyncStorageNames(imports: readonly Import[]): Set<string> {
  const names = new Set<string>();
  for (const i of imports) {
    const fromPackage = ASYNC_STORAGE_MODULES.has(i.module) && (!i.name || i.name === 'default' || i.name === 'AsyncStorage');
    const fromCore = i.module === 'react-native' && i.name === 'AsyncStorage';
    if ((fromPackage || fromCore) && i.local) names.add(i.local);
  }
  return names;
}

function isStdStream(text: string | undefined): boolean {
  return /^(?:stderr|stdout)$/.test(text ?? '');
}

export const STORAGE_ADVICE: Readonly<Record<StorageKind, string>> = {
  nvs: 'Enable NVS encryption (CONFIG_NVS_ENCRYPTION with flash encryption, or nvs_flash_secure_init) or keep the secret in the eFuse key blocks or a secure element.',
  settings:
    'Zephyr settings are stored in cleartext in flash: keep secrets in a secure element, PSA Protected Storage (psa_ps_set) or an encrypted partition.',
  preferences:
    'Arduino Preferences are cleartext NVS: enable NVS encryption with flash encryption, or keep the secret in a secure element.',
  eeprom: 'EEPROM contents are read out with a programmer in seconds: keep secrets in a secure element or encrypted storage.',
  file: "Store a salted hash for passwords, or encrypt the secret with a key from the OS keystore, a secure element or a KMS; restrict the file's permissions as well.",
  'shared-preferences': 'Use EncryptedSharedPreferences or keep the secret in the Android Keystore.',
  'web-storage':
    'Web storage is readable by any script on the origin (one XSS away): keep session tokens in HttpOnly, Secure, SameSite cookies.',
  'async-storage':
    'Keep tokens and keys in the platform keystore instead (iOS Keychain, Android Keystore: react-native-keychain, expo-secure-store).',
  properties: 'Properties files are plain text: load the secret from a keystore or a secrets manager instead.',
};
