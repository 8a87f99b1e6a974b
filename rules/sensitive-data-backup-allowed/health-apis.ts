/**
 * Evidence in an app's code that it handles health data, for the backup finding of its manifest: the health
 * platforms' APIs (Health Connect, Google Fit, Samsung Health), and the Bluetooth profiles of medical sensors
 * (the Bluetooth SIG's glucose, CGM, insulin-delivery, blood-pressure, pulse-oximetry, heart-rate and thermometer
 * services and measurement characteristics, and the CGM services of Dexcom and Abbott sensors) named where the
 * code builds a UUID to talk to them. Names of classes or fields are not evidence; the API and the protocol
 * identifiers are. A Java or Kotlin file provides the fact; the manifest of the same module (its project) reads it.
 */
import type { RuleContext } from '../../server/src/core/types';

export const HEALTH_API = 'health-data-api';
/** What the app module keeps on the device (preferences, a database, files): what a backup would copy. */
export const APP_STORAGE = 'app-storage';

/** The health platforms' packages, and what the message calls them. */
const PLATFORMS: readonly [string, string][] = [
  ['androidx.health.connect.client', 'Health Connect'],
  ['android.health.connect', 'Health Connect'],
  ['com.google.android.gms.fitness', 'Google Fit'],
  ['com.samsung.android.sdk.healthdata', 'Samsung Health'],
];

/** 16-bit Bluetooth SIG assigned numbers of health services and their measurement characteristics. */
const SIG_HEALTH: Readonly<Record<string, string>> = {
  '1808': 'glucose',
  '2a18': 'glucose',
  '2a34': 'glucose',
  '181f': 'CGM',
  '2aa7': 'CGM',
  '183a': 'insulin delivery',
  '2b20': 'insulin delivery',
  '2b21': 'insulin delivery',
  '2b25': 'insulin delivery',
  '2b26': 'insulin delivery',
  '1810': 'blood pressure',
  '2a35': 'blood pressure',
  '1822': 'pulse oximetry',
  '2a5e': 'pulse oximetry',
  '2a5f': 'pulse oximetry',
  '180d': 'heart rate',
  '2a37': 'heart rate',
  '1809': 'thermometer',
  '2a1c': 'thermometer',
};
/** Vendor CGM services (full 128-bit UUIDs): Dexcom G5/G6/G7 and Abbott FreeStyle Libre 2/3. */
const VENDOR_CGM: Readonly<Record<string, string>> = {
  'f8083532-849e-531c-c594-30f1f86a4ea5': 'CGM',
  '0000fde3-0000-1000-8000-00805f9b34fb': 'CGM',
};
const SIG_UUID = /^0000([0-9a-f]{4})-0000-1000-8000-00805f9b34fb$/;

/** Every value the fact can take: a manifest's finding stands on any of them. */
export const HEALTH_EVIDENCE = [...new Set([...PLATFORMS.map(([, name]) => name), ...Object.values(SIG_HEALTH), 'CGM'])];

export function provideHealthApis(ctx: RuleContext): void {
  const text = ctx.text.content;
  if (!(text.includes('fromString') || PLATFORMS.some(([pkg]) => text.includes(pkg)))) return;
  const found = new Set<string>();
  for (const i of ctx.model.imports) {
    const imported = i.name ? `${i.module}.${i.name}` : i.module;
    const platform = PLATFORMS.find(([pkg]) => imported === pkg || imported.startsWith(`${pkg}.`));
    if (platform) found.add(platform[1]);
  }
  for (const profile of bluetoothHealthProfiles(ctx)) found.add(profile);
  if (found.size) ctx.provide(HEALTH_API, [...found]);
}

/** `UUID.fromString("00001808-0000-1000-8000-00805f9b34fb")`, the string followed through constants. */
function bluetoothHealthProfiles(ctx: RuleContext): string[] {
  const profiles: string[] = [];
  for (const call of ctx.model.calls) {
    if (call.name !== 'fromString' || !/(?:^|\.)(?:UUID|ParcelUuid)$/.test(call.receiver?.text ?? '') || call.args.length !== 1) continue;
    for (const origin of ctx.flow.origins(call.args[0])) {
      if (origin.kind !== 'literal' || origin.expr.kind !== 'string') continue;
      const uuid = (origin.expr.value ?? '').trim().toLowerCase();
      const profile = VENDOR_CGM[uuid] ?? SIG_HEALTH[SIG_UUID.exec(uuid)?.[1] ?? ''];
      if (profile) profiles.push(profile);
    }
  }
  return profiles;
}

/** Packages whose import means the module keeps data in the app's own storage. */
const STORAGE_PACKAGES: readonly [RegExp, string][] = [
  [/^android\.content\.SharedPreferences\b|^android(?:x)?\.preference\./, 'preferences'],
  [/^androidx\.datastore\./, 'DataStore'],
  [
    /^androidx\.room\.|^android\.database\.sqlite\.|^net\.sqlcipher\.|^io\.realm\.|^io\.objectbox\.|^org\.greenrobot\.greendao\.|^com\.j256\.ormlite\.|^com\.activeandroid\.|^com\.orm\./,
    'database',
  ],
  [/^java\.io\.(?:FileOutputStream|FileWriter)$/, 'files'],
];
/** Calls that write the app's preferences, databases or files (Context, Room, DataStore, Kotlin file writes). */
const STORAGE_CALLS: Readonly<Record<string, string>> = {
  getSharedPreferences: 'preferences',
  getDefaultSharedPreferences: 'preferences',
  getPreferences: 'preferences',
  preferencesDataStore: 'DataStore',
  openFileOutput: 'files',
  openOrCreateDatabase: 'database',
  getWritableDatabase: 'database',
  databaseBuilder: 'database',
  FileOutputStream: 'files',
  FileWriter: 'files',
  writeText: 'files',
  writeBytes: 'files',
  appendText: 'files',
};
export const STORAGE_KINDS = [...new Set([...STORAGE_PACKAGES.map(([, kind]) => kind), ...Object.values(STORAGE_CALLS)])];

/**
 * The module keeps something on the device: an import of a storage API or a call that writes preferences, a
 * database or a file. An app that only shows what a sensor sends leaves nothing for a backup to take.
 */
export function provideAppStorage(ctx: RuleContext): void {
  const found = new Set<string>();
  for (const i of ctx.model.imports) {
    const imported = i.name ? `${i.module}.${i.name}` : i.module;
    const storage = STORAGE_PACKAGES.find(([pattern]) => pattern.test(imported));
    if (storage) found.add(storage[1]);
  }
  for (const call of ctx.model.calls) {
    const kind = STORAGE_CALLS[call.name];
    if (kind) found.add(kind);
  }
  if (found.size) ctx.provide(APP_STORAGE, [...found]);
}
