/**
 * Test code, by the conventions of each language medsec reads: test folders (`test/`, `tests/`,
 * `__tests__/`, `spec/`, `testing/`), pytest files (`test_*.py`, `*_test.py`), `*_test.c|cc|cpp|java|kt`,
 * JS/TS `*.test.*` and `*.spec.*`, and JUnit-style `*Test.java` / `*Tests.kt`. The engine classifies each
 * file once (`RuleContext.inTestCode`), so every rule sees the same answer.
 */
const TEST_PATH =
  /(?:^|\/)(?:tests?|__tests__|spec|testing)\/|(?:^|\/)test_[^/]*\.py$|_test\.(?:py|c|cc|cpp|kt|java)$|\.(?:test|spec)\.[cm]?[jt]sx?$|Tests?\.(?:java|kt)$/i;

/** Whether a path (relative to the scan root, either slash) is test code. */
export function isTestPath(relativePath: string): boolean {
  return TEST_PATH.test(relativePath.replace(/\\/g, '/'));
}
