/**
 * Kconfig chains across files, sharded: findings whose conditions rest on facts derived across the files of a
 * project (a symbol set in prj.conf, selecting one defined in an rsourced file, which selects a debug shell;
 * pairing selected by a default-on option) come out of `scan --shard i/n` + `medsec merge` exactly as from one
 * unsharded scan, for a tree of two projects whose facts differ. Needs the bundle: `npm test` builds it first.
 */
import { expect, it } from 'vitest';
import { cliIn, scanShards, useTempProject } from './helpers/project';
import { writeZephyrProducts } from './helpers/zephyr-products';

const project = useTempProject('merge-derived');

const medsec = cliIn(project, { NO_COLOR: '1' });

type Result = { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] };
const results = (sarif: string) =>
  (JSON.parse(sarif) as { runs: { results: Result[] }[] }).runs[0].results
    .map((r) => `${r.ruleId} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`)
    .sort();

it('a sharded scan merged equals the unsharded one when findings rest on facts derived across files', () => {
  writeZephyrProducts(project);
  const whole = medsec('scan', '.', '--jobs', '1', '--format', 'sarif', '--fail-on', 'none');
  expect(whole.status).toBe(0);
  const expected = results(whole.stdout);
  expect(expected).toEqual(['debug-interface-enabled patch/src/Kconfig.diag:3', 'unprotected-update-channel relay/Kconfig:8']);
  const count = 3;
  const shards = scanShards(medsec, ['.'], count).map(({ file, run }) => {
    expect(run.status).toBe(0);
    return file;
  });
  const merged = medsec('merge', ...shards);
  expect(merged.status).toBe(0);
  expect(results(merged.stdout)).toEqual(expected);
});
