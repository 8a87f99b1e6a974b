/**
 * Project facts answer findings of their own project only, and shards carry them to `medsec merge`, which
 * resolves them: a tree of two firmware products, one with bootloader anti-rollback on and one without.
 * Needs the bundle: `npm test` builds it first.
 */
import { describe, expect, it } from 'vitest';
import { cliIn, scanShards, useTempProject } from './helpers/project';

const project = useTempProject('project-facts');

const medsec = cliIn(project, { NO_COLOR: '1' });

const OTA = `#include "esp_ota_ops.h"
esp_err_t install_update(const esp_partition_t *part) {
    return esp_ota_set_boot_partition(part);
}
`;

/**
 * Two ESP-IDF products side by side; each main/ folder is a component (its CMakeLists declares no project).
 * `bedside/sdkconfig` and `bedside/main/ota.c` fall in different shards for n = 2 and 3 (shards hash paths),
 * so the merge, not a shard, must apply the fact.
 */
function writeTree(): void {
  for (const product of ['bedside', 'pump-b']) {
    project.write(
      `${product}/CMakeLists.txt`,
      `cmake_minimum_required(VERSION 3.16)\ninclude($ENV{IDF_PATH}/tools/cmake/project.cmake)\nproject(${product})\n`,
    );
    project.write(`${product}/main/CMakeLists.txt`, 'idf_component_register(SRCS "ota.c")\n');
    project.write(`${product}/main/ota.c`, OTA);
  }
  project.write('bedside/sdkconfig', 'CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK=y\nCONFIG_BOOTLOADER_APP_SECURE_VERSION=3\n');
  project.write('pump-b/sdkconfig', 'CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK=n\n');
}

function rollbackPaths(sarifText: string): string[] {
  const log = JSON.parse(sarifText) as {
    runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
  };
  return log.runs[0].results
    .filter((r) => r.ruleId === 'update-rollback-allowed')
    .map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
}

describe('project facts', () => {
  it("one product's bootloader setting does not answer another product's update path", () => {
    writeTree();
    const { status, stdout, stderr } = medsec('scan', '.', '--jobs', '1', '--format', 'sarif', '--fail-on', 'none');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(rollbackPaths(stdout)).toEqual(['pump-b/main/ota.c']);
  });

  it.each([2, 3])('shards 1..%i merged give exactly the unsharded result', (count) => {
    writeTree();
    const whole = medsec('scan', '.', '--jobs', '1', '--format', 'sarif', '--fail-on', 'none');
    const files = scanShards(medsec, ['.'], count).map(({ file, run }) => {
      expect(run.status).toBe(0);
      return file;
    });
    const merged = medsec('merge', ...files);
    expect(merged.stderr).toBe('');
    expect(merged.status).toBe(0);
    const strip = (text: string) => {
      const log = JSON.parse(text) as { runs: { invocations: Record<string, unknown>[] }[] };
      for (const invocation of log.runs[0].invocations) {
        delete invocation.startTimeUtc;
        delete invocation.endTimeUtc;
      }
      return log;
    };
    expect(strip(merged.stdout)).toEqual(strip(whole.stdout));
    expect(rollbackPaths(merged.stdout)).toEqual(['pump-b/main/ota.c']);
  });

  it('lets the merge job decide the build with --fail-on', () => {
    writeTree();
    const files = scanShards(medsec, ['.'], 2).map(({ file, run }) => {
      expect(run.status).toBe(0);
      return file;
    });
    // Without --fail-on a merge only writes the report; with it, the merged findings decide.
    expect(medsec('merge', ...files, '--output', 'all.sarif').status).toBe(0);
    expect(medsec('merge', ...files, '--format', 'text', '--fail-on', 'high').status).toBe(1);
  });

  it('refuses to merge an incomplete set of shards, naming the missing ones (exit 2)', () => {
    writeTree();
    expect(
      medsec('scan', '.', '--jobs', '1', '--format', 'sarif', '--shard', '1/3', '--output', 's1.sarif', '--fail-on', 'none').status,
    ).toBe(0);
    const { status, stderr, stdout } = medsec('merge', 's1.sarif');
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/shards 2\/3, 3\/3 missing/);
  });
});
