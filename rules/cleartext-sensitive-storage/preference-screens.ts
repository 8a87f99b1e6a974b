/**
 * cleartext-sensitive-storage, Android preference screens: an `EditTextPreference` in a `res/xml` preference screen
 * whose input is masked as a password (`android:inputType="textPassword"`, `textWebPassword`, `numberPassword`) is a
 * login form's password field, and the Preference framework persists what the user types into the app's default
 * SharedPreferences, a cleartext XML file (`Preference.persistString`), unless the preference is not persistent or the
 * project hands the screens a `PreferenceDataStore` of its own. The app then reads it back with `getString(key, ...)`
 * and signs in with it: the password sits in cleartext on the phone.
 *
 * `textVisiblePassword` alone is not evidence: apps set it to turn off suggestions on serial numbers, transmitter IDs
 * and user names (`textNoSuggestions|textVisiblePassword`), and a masked class combined with it is shown in clear.
 */
import type { RuleContext } from '../../server/src/core/types';
import { attributeOf, elementsOf } from '../_shared/android-xml';
import { STORAGE_ADVICE } from './sinks';

/** Provided by a Java or Kotlin file that gives preference screens their own store: then nothing is guessed. */
const CUSTOM_PREFERENCE_STORE = 'custom-preference-data-store';

/** The masked password input types (android.text.InputType variations). */
const MASKED = new Set(['textPassword', 'textWebPassword', 'numberPassword']);

/** Whether an `android:inputType` value asks for masked password input. */
function isMaskedPassword(inputType: string): boolean {
  const flags = inputType.split('|').map((f) => f.trim());
  return flags.some((f) => MASKED.has(f)) && !flags.includes('textVisiblePassword');
}

export function findPasswordPreferences(ctx: RuleContext): void {
  for (const element of elementsOf(ctx)) {
    if (!/(?:^|\.)EditTextPreference(?:Compat)?$/.test(element.name)) continue;
    const inputType = attributeOf(element, 'android:inputType');
    if (!inputType || !isMaskedPassword(inputType.value)) continue;
    if (attributeOf(element, 'android:persistent')?.value.trim() === 'false') continue;
    const key = attributeOf(element, 'android:key')?.value;
    if (!key) continue;
    ctx.report({
      span: element.span,
      message: `This preference takes a password (android:inputType="${inputType.value}"), and the Preference framework saves what is typed into the app's default SharedPreferences under '${key}', a cleartext XML file that backups, rooted devices and debug builds expose. ${STORAGE_ADVICE['shared-preferences']} For a preference screen, give it a PreferenceDataStore backed by the Android Keystore, or keep the password out of preferences (store a token the server can revoke).`,
      unless: { fact: CUSTOM_PREFERENCE_STORE, anyOf: ['yes'] },
    });
  }
}

/** `setPreferenceDataStore(store)` / Kotlin `preferenceDataStore = store`: the screens' values go to that store. */
export function provideCustomPreferenceStore(ctx: RuleContext): void {
  if (!ctx.text.content.includes('referenceDataStore')) return;
  const sets =
    ctx.model.calls.some((c) => c.name === 'setPreferenceDataStore') ||
    ctx.model.bindings.some((b) => b.name === 'preferenceDataStore' && b.kind === 'assignment');
  if (sets) ctx.provide(CUSTOM_PREFERENCE_STORE, ['yes']);
}
