/**
 * A committed key store holding only the Android SDK's debug key (`androiddebugkey`) is a leaked signing key only when
 * a build that ships signs with it, which the module's Gradle script says (rules/hardcoded-credential/release-signing.ts):
 * React Native's app template leaves `release { signingConfig signingConfigs.debug }`. Key stores are binary, so these
 * cases are built here rather than as annotated fixtures.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../server/src/core/config';
import { scan } from '../server/src/core/scan';
import { BUILTIN } from './helpers/registry';

/** JKS magic, version 2, one private-key entry under `alias`, then stand-in key bytes. */
function javaKeyStore(alias: string): Uint8Array {
  const name = [...Buffer.from(alias, 'ascii')];
  return new Uint8Array([
    0xfe,
    0xed,
    0xfe,
    0xed,
    0,
    0,
    0,
    2,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    1,
    0,
    name.length,
    ...name,
    ...Array(8).fill(0),
    0,
    0,
    0,
    4,
    1,
    2,
    3,
    4,
  ]);
}

const TEMPLATE_SIGNING = `
android {
    signingConfigs {
        debug {
            storeFile file('debug.keystore')
            storePassword 'android'
            keyAlias 'androiddebugkey'
            keyPassword 'android'
        }
    }
    buildTypes {
        debug {
            signingConfig signingConfigs.debug
        }
        release {
            // Caution! In production, you need to generate your own keystore file.
            signingConfig signingConfigs.debug
            minifyEnabled enableProguardInReleaseBuilds
        }
    }
}
`;

const OWN_RELEASE_KEY = `
android {
    signingConfigs {
        debug {
            storeFile file('debug.keystore')
        }
        release {
            storeFile file(System.getenv("UPLOAD_KEYSTORE_FILE"))
            storePassword System.getenv("UPLOAD_KEYSTORE_PASSWORD")
        }
    }
    buildTypes {
        debug { signingConfig signingConfigs.debug }
        release { signingConfig signingConfigs.release }
    }
}
`;

const KOTLIN_DSL_RELEASE_WITH_DEBUG = `
android {
    buildTypes {
        getByName("release") {
            isMinifyEnabled = true
            signingConfig = signingConfigs.getByName("debug")
        }
    }
}
`;

let root: string | undefined;
afterEach(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
  root = undefined;
});

async function keyStoreFindings(files: Record<string, string | Uint8Array>): Promise<string[]> {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-debug-keystore-'));
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  const config = resolveConfig({ extends: ['medsec:recommended'] }, undefined, root, BUILTIN);
  const result = await scan({ root, paths: [root], config, workers: 1 });
  return result.files
    .flatMap((file) => file.findings)
    .filter((f) => f.ruleId === 'hardcoded-credential' && /keystore|\.jks$/.test(f.path))
    .map((f) => f.path)
    .sort();
}

describe('committed Android debug key stores', () => {
  it('reports the debug key when the release build signs with it (the React Native template)', async () => {
    expect(
      await keyStoreFindings({
        'android/app/build.gradle': TEMPLATE_SIGNING,
        'android/app/debug.keystore': javaKeyStore('androiddebugkey'),
      }),
    ).toEqual(['android/app/debug.keystore']);
  });

  it('reports it when a Kotlin-DSL release build type takes the debug signing configuration', async () => {
    expect(
      await keyStoreFindings({
        'app/build.gradle.kts': KOTLIN_DSL_RELEASE_WITH_DEBUG,
        'app/debug.keystore': javaKeyStore('androiddebugkey'),
      }),
    ).toEqual(['app/debug.keystore']);
  });

  it('does not report a debug key that only debug builds use (release signs with its own key from the environment)', async () => {
    expect(
      await keyStoreFindings({
        'android/app/build.gradle': OWN_RELEASE_KEY,
        'android/app/debug.keystore': javaKeyStore('androiddebugkey'),
      }),
    ).toEqual([]);
  });

  it('does not report a debug key store no build script of its project signs a release with', async () => {
    expect(await keyStoreFindings({ 'tools/debug.keystore': javaKeyStore('androiddebugkey') })).toEqual([]);
  });

  it('still reports any other key committed beside a debug-only signing setup (an upload key)', async () => {
    expect(
      await keyStoreFindings({
        'android/app/build.gradle': OWN_RELEASE_KEY,
        'android/app/debug.keystore': javaKeyStore('androiddebugkey'),
        'android/app/upload.jks': javaKeyStore('upload'),
      }),
    ).toEqual(['android/app/upload.jks']);
  });
});
