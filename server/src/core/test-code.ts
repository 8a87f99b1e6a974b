/**
 * Test code: one classification for every rule, and one policy for what is found in it.
 *
 * A file is test code by the conventions of each language medsec reads (test folders and test source sets,
 * pytest and Unity/Ceedling file names, JUnit and JS naming), or by its imports (a test or load-test framework:
 * `TEST_FRAMEWORKS`, C and C++ headers in `C_TEST_HEADERS`), plus the configuration's `testCode.files`, minus its `testCode.excludedFiles`. The
 * configuration classifies the path (`ResolvedConfig.testCodeFor`), the engine reads the imports of what the
 * path leaves open (`testCodePolicyOf`) once per file (`RuleContext.inTestCode`), so every rule, the CLI, the
 * editor and the workspace scan see the same answer; rules do not drop findings there themselves.
 *
 * The policy (`testCode.findings`) spares a live secret (`Report.liveSecret`: a real provider token or private
 * key is leaked wherever it sits) in every case. Of the rest, `live-secrets` reports nothing in test code (what
 * a test sets up for itself is no weakness of the device), `lower` reports it at severity `low` at most (it
 * does not ship, so it should not fail a build), `report` reports test code like any other, and `evidence`
 * reports it like any other except the findings of rules that say what one in test code must show
 * (`RuleMeta.testCodeEvidence`), which stand there only as live secrets. `medsec:recommended` sets
 * `live-secrets`, `medsec:strict` sets `evidence`.
 */
import { languageFamily, type LanguageFamily } from './language';
import type { Import } from './model/types';
import { SEVERITIES, type LanguageId, type Severity, type TestCodeClass, type TestCodePolicy } from './types';

export { TEST_CODE_POLICIES, type TestCodeClass, type TestCodePolicy } from './types';

const TEST_FOLDER = String.raw`(?:^|/)(?:tests?|__tests__|__mocks__|spec|testing|unit_?tests?|testFixtures|androidTest|integrationTest|testDebug|testRelease|sharedTest)/`;
const TEST_FILE = [
  String.raw`(?:^|/)test_[^/]*\.(?:py|c|cc|cpp)$`, // pytest, Unity / Ceedling
  String.raw`(?:^|/)conftest\.py$`,
  String.raw`(?:^|/)locustfile\.py$`, // Locust load tests: the file the `locust` command runs
  String.raw`(?:^|/)\.env\.test(?:ing)?(?:\.local)?$`, // the environment a test run loads (dotenv-flow, Next.js, Vite, Laravel)
  String.raw`_tests?\.(?:py|c|cc|cpp|h|hpp|kt|java)$`, // GoogleTest and friends
  String.raw`\.(?:test|spec)\.[cm]?[jt]sx?$`,
  String.raw`(?:Tests?|Spec)\.(?:java|kt)$`,
];
const TEST_PATH = new RegExp(`${TEST_FOLDER}|${TEST_FILE.join('|')}`, 'i');
const TEST_FOLDER_PATH = new RegExp(TEST_FOLDER, 'i');
/**
 * A Gradle or Maven production source set (`src/main`, Kotlin Multiplatform's `src/commonMain`, `src/jvmMain`):
 * its files ship whatever they are called (`BloodTest.java` is a glucose-meter reading, `ShareTest.java` an
 * activity in the manifest); the JUnit name convention holds only in test source sets, which have folders of
 * their own (`src/test`, `src/androidTest`, `src/jvmTest`).
 */
const PRODUCTION_SOURCE_SET = /(?:^|\/)src\/(?:main|[a-z][A-Za-z0-9]*Main)\/(?:java|kotlin)\//;
/**
 * A Gradle test source set by its name: Kotlin Multiplatform's `<target>Test` (`commonTest`, `jvmTest`, `iosTest`,
 * `desktopTest`, `androidUnitTest`, `androidInstrumentedTest`), Android's per-variant `test<Variant>` and
 * `androidTest<Variant>`, holding the source set's `kotlin/`, `java/` or `resources/` folder (a firmware's
 * `src/selfTest/` is the power-on self test it ships). Case-sensitive: `src/latest/` is no source set. A
 * production source set (`main`, `commonMain`, `jvmMain`) never ends in `Test`.
 */
const SOURCE_SET = /(?:^|\/)src\/([^/]+)\/(?:kotlin|java|resources)\//g;

/** `jvmTest`, `androidUnitTest`, `androidTestDebug`, `testFreeDebug`: a camel-case `Test` word, or `test` then a variant. */
function isTestSourceSetName(name: string): boolean {
  if (!/^[a-z][A-Za-z0-9]*$/.test(name)) return false;
  if (/^test[A-Z]/.test(name)) return true;
  for (let at = name.indexOf('Test'); at > 0; at = name.indexOf('Test', at + 1)) {
    const next = name[at + 4];
    if (next === undefined || (next >= 'A' && next <= 'Z')) return true;
  }
  return false;
}

const inTestSourceSet = (path: string) => [...path.matchAll(SOURCE_SET)].some((m) => isTestSourceSetName(m[1]));

/** Shell test scripts: shunit2's `*_test.sh`, `test_*.sh`, `smoke-test.sh`, Bats files; not a device's `self-test.sh`. */
function isShellTestScript(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.bats')) return true;
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || !['.sh', '.bash'].includes(name.slice(dot))) return false;
  const stem = name.slice(0, dot).replace(/s$/, '');
  const words = stem.split(/[-_]/);
  if (words.length < 2) return false;
  return words[0] === 'test' || (words[words.length - 1] === 'test' && !(words.length === 2 && words[0] === 'self'));
}

/** Whether a path (relative to the scan root, either slash) is test code by the conventions alone. */
export function isTestPath(relativePath: string): boolean {
  const path = relativePath.replace(/\\/g, '/');
  if (inTestSourceSet(path)) return true;
  if (isShellTestScript(path)) return true;
  if (PRODUCTION_SOURCE_SET.test(path)) return TEST_FOLDER_PATH.test(path);
  return TEST_PATH.test(path);
}

/** The severity a finding in test code is reported at under the `lower` policy. */
export function testCodeSeverity(severity: Severity): Severity {
  return SEVERITIES.indexOf(severity) < SEVERITIES.indexOf('low') ? 'low' : severity;
}

/**
 * Modules only a test or a load test imports, per language family, as the import names them. Chosen on the
 * real-code set, where each was imported only by files the path conventions already call test code, or by test
 * helpers they miss (a `jvmTest` source set, a `pytest/` folder, a benchmark module, a `test_libs/` header).
 * An entry names a module and every module below it (`k6` is `k6` and `k6/http`, `org.junit` is
 * `org.junit.Assert`); an entry ending in `/*` names only the packages of an npm scope. Not `assert` (production
 * code asserts too), not Python's `doctest` (modules import it to run their own docstrings), not Espresso's
 * idling resources (an app registers those from production code: `PRODUCTION_TEST_SUPPORT`).
 */
const TEST_FRAMEWORKS: Record<Exclude<LanguageFamily, 'native'>, { separator: '/' | '.'; modules: readonly string[] }> = {
  js: {
    separator: '/',
    modules: [
      'k6', // load tests
      ...['mocha', 'vitest', '@jest/globals', 'node:test', 'ava', 'tape', 'jasmine'], // runners
      ...['chai', 'should', 'sinon', 'supertest', 'nock'], // assertions, stubs, HTTP mocks
      ...['@playwright/test', 'cypress', '@testing-library/*'], // browser and UI tests
    ],
  },
  python: {
    separator: '.',
    modules: ['pytest', '_pytest', 'unittest', 'locust', 'hypothesis', 'nose', 'nose2', 'mock'],
  },
  jvm: {
    separator: '.',
    modules: [
      ...['org.junit', 'junit.framework', 'org.testng', 'kotlin.test', 'io.kotest'], // runners
      ...['androidx.test', 'android.test', 'org.robolectric'], // AndroidX Test, Espresso, Robolectric
      ...['org.mockito', 'io.mockk', 'org.powermock', 'okhttp3.mockwebserver'], // mocks
      ...['org.hamcrest', 'com.google.common.truth', 'org.assertj'], // assertions
    ],
  },
};

/** Whether `module` is `entry` or a module below it (`entry/*`: a package of that npm scope). */
function isModuleOrBelow(module: string, entry: string, separator: string): boolean {
  if (entry.endsWith('/*')) return module.startsWith(entry.slice(0, -1)) && module.length > entry.length - 1;
  return module === entry || module.startsWith(entry + separator);
}

function isTestFrameworkModule(family: LanguageFamily, module: string): boolean {
  if (family === 'native') return isTestFrameworkHeader(module);
  const { separator, modules } = TEST_FRAMEWORKS[family];
  return modules.some((entry) => isModuleOrBelow(module, entry, separator));
}

/** Headers of the C and C++ test frameworks, by name; folders whose every header is one. */
const C_TEST_HEADERS = new Set([
  'unity.h',
  'cmocka.h',
  'ztest.h',
  'doctest.h',
  'munit.h',
  'acutest.h',
  'fff.h',
  'catch.hpp',
  'catch_amalgamated.hpp',
]);
const C_TEST_HEADER_PATHS = new Set(['gtest/gtest.h', 'gmock/gmock.h', 'doctest/doctest.h', 'criterion/criterion.h']);
const C_TEST_FOLDERS = new Set(['catch2', 'CppUTest', 'CppUTestExt']);

/** `gtest/gtest.h`, not `gtest/gtest_prod.h`, which production classes include for `FRIEND_TEST`. */
function isTestFrameworkHeader(module: string): boolean {
  const parts = module.split('/');
  const name = parts[parts.length - 1];
  const folder = parts.length > 1 ? parts[parts.length - 2] : '';
  if (C_TEST_HEADERS.has(name) || C_TEST_HEADER_PATHS.has(`${folder}/${name}`)) return true;
  return parts.slice(0, -1).some((part, i) => C_TEST_FOLDERS.has(part) || (part === 'boost' && parts[i + 1] === 'test'));
}

/**
 * Espresso's idling resources (`androidx.test.espresso.IdlingResource`, `androidx.test.espresso.idling.*`): test
 * support an app's production code registers and counts on.
 */
function isProductionTestSupport(imported: Import): boolean {
  const { module } = imported;
  const espresso = module === 'androidx.test.espresso' || isModuleOrBelow(module, 'androidx.test.espresso.idling', '.');
  return espresso && `${module}.${imported.name ?? ''}`.includes('Idling');
}

/** The first import of a test or load-test framework (`TEST_FRAMEWORKS`), if the file has one. */
export function testFrameworkImport(language: LanguageId, imports: readonly Import[]): Import | undefined {
  const family = languageFamily(language);
  if (!family) return undefined;
  return imports.find((imported) => isTestFrameworkModule(family, imported.module) && !isProductionTestSupport(imported));
}

/**
 * The policy for a file's findings when it is test code, undefined when it is not: by its path (the
 * configuration's class), else by its imports. A bare policy is a file already known to be test code.
 */
export function testCodePolicyOf(
  testCode: TestCodeClass | TestCodePolicy | undefined,
  language: LanguageId,
  imports: readonly Import[],
): TestCodePolicy | undefined {
  if (testCode === undefined || typeof testCode === 'string') return testCode;
  if (testCode.by === 'path') return testCode.policy;
  if (testCode.by === 'content' && testFrameworkImport(language, imports)) return testCode.policy;
  return undefined;
}

/** What of a file's test-code class a cached result depends on (its imports are in the content key). */
export function testCodeKey(testCode: TestCodeClass): string {
  return `${testCode.by}:${testCode.policy}`;
}
