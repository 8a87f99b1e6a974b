/**
 * Test code: one classification for every rule, and one policy for what is found in it.
 *
 * A file is test code by the conventions of each language medsec reads (test folders and test source sets,
 * pytest and Unity/Ceedling file names, JUnit and JS naming), plus the configuration's `testCode.files`,
 * minus its `testCode.excludedFiles`. The engine classifies each file once (`RuleContext.inTestCode`), so
 * every rule sees the same answer; rules do not drop findings there themselves.
 *
 * The policy (`testCode.findings`) spares a live secret (`Report.liveSecret`: a real provider token or private
 * key is leaked wherever it sits) in every case. Of the rest, `live-secrets` reports nothing in test code (what
 * a test sets up for itself is no weakness of the device), `lower` reports it at severity `low` at most (it
 * does not ship, so it should not fail a build), and `report` reports test code like any other.
 * `medsec:recommended` sets `live-secrets`, `medsec:strict` sets `report`.
 */
import { SEVERITIES, type Severity } from './types';

export { TEST_CODE_POLICIES, type TestCodePolicy } from './types';

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
 * A Gradle or Maven production source set: its files ship whatever they are called (`BloodTest.java` is a
 * glucose-meter reading, `ShareTest.java` an activity in the manifest); the JUnit name convention holds only in
 * test source sets, which have folders of their own (`src/test`, `src/androidTest`).
 */
const PRODUCTION_SOURCE_SET = /(?:^|\/)src\/main\/(?:java|kotlin)\//;

/** Whether a path (relative to the scan root, either slash) is test code by the conventions alone. */
export function isTestPath(relativePath: string): boolean {
  const path = relativePath.replace(/\\/g, '/');
  if (PRODUCTION_SOURCE_SET.test(path)) return TEST_FOLDER_PATH.test(path);
  return TEST_PATH.test(path);
}

/** The severity a finding in test code is reported at under the `lower` policy. */
export function testCodeSeverity(severity: Severity): Severity {
  return SEVERITIES.indexOf(severity) < SEVERITIES.indexOf('low') ? 'low' : severity;
}
