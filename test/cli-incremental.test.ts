/**
 * The incremental re-scan (server/src/cli/incremental.ts): after some files of a scanned tree are edited,
 * added or deleted, a whole-tree `medsec scan` checks just those and settles the project facts from the
 * counts kept with the scan index; its report equals a `--no-cache` scan's. Covered: a plain edit, edits that
 * change a project fact (a Kconfig setting, a Kconfig derivation, a header that declares a server object),
 * an added file, a deleted file, two edits in a row. A change the walk itself must redo (a new folder, a
 * `.gitignore`, a `git add` of an ignored file) goes down the full scan, with the same report. A file changed within 2 s of a scan has no
 * trusted stamp (core/file-stamp.ts); each test waits that out so that its re-scan meets the case it means.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliIn, useTempProject } from './helpers/project';
import { PRODUCT_KCONFIG, writeZephyrProducts } from './helpers/zephyr-products';

const ROOT = path.resolve(__dirname, '..');

beforeAll(() => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `node scripts/build.mjs` first');
});

const project = useTempProject('cli-incremental');
const medsec = cliIn(project, { NO_COLOR: '1', MEDSEC_TEST_HOOKS: '1' });

const HEADER = `#pragma once
#include <SimpleFTPServer.h>
class FileTransferManager {
public:
    void begin(const char *user, const char *pass);
private:
    FtpServer ftpServer;
};
`;
const SOURCE = `#include "FileTransferManager.h"
void FileTransferManager::begin(const char *user, const char *pass)
{
    ftpServer.begin(user, pass);
}
`;
const SECRET = 'static const char *wifi_password = "Vk8#mq2Lz9!pT4";\nint ready;\n';

/** Two Zephyr products whose Kconfig facts differ, an Arduino product with an FTP server declared in a header, a secret. */
function writeTree(): void {
  fs.mkdirSync(path.join(project.dir, '.git'));
  writeZephyrProducts(project);
  project.write('sensor/platformio.ini', '[env:feather]\nplatform = espressif32\nframework = arduino\n');
  project.write('sensor/src/FileTransferManager.h', HEADER);
  project.write('sensor/src/FileTransferManager.cpp', SOURCE);
  project.write('sensor/src/wifi.c', SECRET);
}

/** Waits out the 2 s in which a just-written file's stamp is not trusted. */
function settle(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2_100);
}

/** The JSON report without its duration, and whether the incremental re-scan answered. */
function scan(...args: string[]): { report: unknown; incremental: boolean } {
  const run = medsec('scan', '--format', 'json', '--fail-on', 'none', ...args);
  expect(run.stderr.replace('medsec-test: incremental re-scan\n', '')).toBe('');
  const parsed = JSON.parse(run.stdout) as { summary: { durationMs: number } };
  parsed.summary.durationMs = 0;
  return { report: parsed, incremental: run.stderr.includes('medsec-test: incremental re-scan') };
}

const rules = (report: unknown) =>
  (report as { findings: { ruleId: string; path: string }[] }).findings.map((finding) => `${finding.ruleId} ${finding.path}`).sort();

/** Scans with the cache after `change`, expecting the incremental path (or not), and compares with a cold scan. */
function rescanAfter(change: () => void, incremental = true): unknown {
  change();
  settle();
  const warm = scan();
  expect(warm.incremental).toBe(incremental);
  const cold = scan('--no-cache');
  expect(warm.report).toEqual(cold.report);
  return warm.report;
}

// Each case runs up to a dozen whole CLI scans with a 2 s wait before each re-scan: more than the default limit on a loaded machine.
describe('the incremental re-scan', { timeout: 180_000 }, () => {
  it('checks an edited file alone and reports exactly what a cold scan reports', () => {
    writeTree();
    const first = scan();
    expect(first.incremental).toBe(false);
    expect(rules(first.report)).toEqual([
      'cleartext-service-enabled sensor/src/FileTransferManager.cpp',
      'debug-interface-enabled patch/src/Kconfig.diag',
      'hardcoded-credential sensor/src/wifi.c',
      'unprotected-update-channel relay/Kconfig',
    ]);
    settle();
    const report = rescanAfter(() => project.write('sensor/src/wifi.c', SECRET.replace('Vk8#mq2Lz9!pT4', 'Zq7!rT2#pL9x')));
    expect(rules(report)).toEqual(rules(first.report));
    // Two edits in a row, each answered incrementally from the index the one before wrote.
    rescanAfter(() => project.write('sensor/src/wifi.c', 'int ready;\n'));
    const third = rescanAfter(() => project.write('patch/src/main.c', `int main(void) { return 1; }\n${SECRET}`));
    expect(rules(third)).toContain('hardcoded-credential patch/src/main.c');
  });

  it('re-resolves unchanged files when an edit changes a Kconfig setting or a derivation they rest on', () => {
    writeTree();
    scan();
    settle();
    // Bonding no longer turned off: relay's mcumgr transport (reported in its unchanged Kconfig) is authenticated.
    let report = rescanAfter(() => project.write('relay/prj.conf', 'CONFIG_BT=y\nCONFIG_APP_FIELD_SERVICE=y\n'));
    expect(rules(report)).not.toContain('unprotected-update-channel relay/Kconfig');
    report = rescanAfter(() => project.write('relay/prj.conf', 'CONFIG_BT=y\nCONFIG_APP_FIELD_SERVICE=y\nCONFIG_APP_BONDING=n\n'));
    expect(rules(report)).toContain('unprotected-update-channel relay/Kconfig');
    // The option that selects the telnet shell no longer does: the chain through patch's Kconfig breaks.
    report = rescanAfter(() => project.write('patch/Kconfig', PRODUCT_KCONFIG.replace('\tselect APP_DIAG\n', '')));
    expect(rules(report)).not.toContain('debug-interface-enabled patch/src/Kconfig.diag');
  });

  it('re-resolves the source that starts a server when the header that declares it changes, is deleted or is added', () => {
    writeTree();
    scan();
    settle();
    const header = 'sensor/src/FileTransferManager.h';
    let report = rescanAfter(() => project.write(header, HEADER.replace('FtpServer ftpServer;', 'int ftpServer;')));
    expect(rules(report)).not.toContain('cleartext-service-enabled sensor/src/FileTransferManager.cpp');
    report = rescanAfter(() => project.write(header, HEADER));
    expect(rules(report)).toContain('cleartext-service-enabled sensor/src/FileTransferManager.cpp');
    report = rescanAfter(() => fs.rmSync(path.join(project.dir, header)));
    expect(rules(report)).not.toContain('cleartext-service-enabled sensor/src/FileTransferManager.cpp');
    report = rescanAfter(() => project.write('sensor/src/Servers.h', HEADER));
    expect(rules(report)).toContain('cleartext-service-enabled sensor/src/FileTransferManager.cpp');
  });

  it('checks an added file and forgets a deleted one', () => {
    writeTree();
    scan();
    settle();
    let report = rescanAfter(() => project.write('sensor/src/extra.c', SECRET));
    expect(rules(report)).toContain('hardcoded-credential sensor/src/extra.c');
    report = rescanAfter(() => fs.rmSync(path.join(project.dir, 'sensor/src/wifi.c')));
    expect(rules(report)).not.toContain('hardcoded-credential sensor/src/wifi.c');
    // A file the walk leaves out by its name stays out.
    report = rescanAfter(() => project.write('sensor/src/logo.png', 'not an image'));
    expect(JSON.stringify(report)).not.toContain('logo.png');
  });

  it('leaves a change the walk must redo to the full scan, with the same report', () => {
    writeTree();
    scan();
    settle();
    rescanAfter(() => project.write('sensor/lib/extra.c', SECRET), false); // a new folder
    rescanAfter(() => project.write('sensor/.gitignore', 'lib/\n'), false);
    rescanAfter(() => project.write('tool/pyproject.toml', '[project]\nname = "x"\n'), false); // a new project root
    // A file also reached through a link: which path the walk keeps depends on its whole order.
    rescanAfter(() => fs.symlinkSync('wifi.c', path.join(project.dir, 'sensor/src/alias.c')), false);
    rescanAfter(() => project.write('sensor/src/wifi.c', `${SECRET}int more;\n`), false);
  });

  it('scans an ignored file once git tracks it: the index decides what the walk keeps', () => {
    const git = (...args: string[]) =>
      spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: project.dir });
    project.write('.gitignore', 'local_secrets.c\n');
    project.write('main.c', 'int main(void) { return 0; }\n');
    project.write('local_secrets.c', SECRET);
    git('init', '-q');
    git('add', '.gitignore', 'main.c');
    const first = scan();
    expect(rules(first.report)).toEqual([]);
    settle();
    const report = rescanAfter(() => git('add', '-f', 'local_secrets.c'), false);
    expect(rules(report)).toEqual(['hardcoded-credential local_secrets.c']);
  });
});
