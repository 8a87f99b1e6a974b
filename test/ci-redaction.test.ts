/** A secret found in code never appears in any CI output: SARIF, JUnit, JSON, text, the baseline, the fix diff. */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runBaselineCommand } from '../server/src/cli/commands/baseline';
import { runFixCommand } from '../server/src/cli/commands/fix';
import { runScanCommand, type ScanFormat } from '../server/src/cli/commands/scan';
import { useTempProject } from './helpers/project';

const project = useTempProject('redaction');
const SECRET = 'Zq9fakeSECRET4711xyz';
const PIN = '8472-fake-PIN';

describe('redaction in CI outputs', () => {
  it('masks the secret everywhere', async () => {
    project.write(
      'src/link.c',
      [
        '#include <string.h>',
        '#include "mbedtls/ssl.h"',
        `static const char *wifi_password = "${SECRET}";`,
        'void setup(mbedtls_ssl_config *conf) {',
        '  mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_NONE);',
        `  const char *service_password = "${SECRET}";`,
        '}',
        `int check(const char *password) { return strcmp(password, "${PIN}") == 0; }`,
        '',
      ].join('\n'),
    );
    const outputs: Record<string, string> = {};
    for (const format of ['sarif', 'junit', 'json', 'text'] as ScanFormat[]) {
      const output = path.join(project.dir, `report.${format}`);
      await runScanCommand([path.join(project.dir, 'src')], { format, output, failOn: 'high' });
      outputs[format] = fs.readFileSync(output, 'utf8');
    }
    const baseline = path.join(project.dir, 'baseline.json');
    await runBaselineCommand([path.join(project.dir, 'src')], { output: baseline }, undefined, () => undefined);
    outputs.baseline = fs.readFileSync(baseline, 'utf8');
    await runScanCommand([path.join(project.dir, 'src')], {
      format: 'sarif',
      output: path.join(project.dir, 'b.sarif'),
      failOn: 'high',
      baseline,
    });
    outputs.baselineSarif = fs.readFileSync(path.join(project.dir, 'b.sarif'), 'utf8');
    let diff = '';
    await runFixCommand([path.join(project.dir, 'src')], { dryRun: true }, undefined, (text) => (diff += text));
    outputs.fixDiff = diff;

    expect(outputs.sarif).toContain('****');
    expect(outputs.fixDiff).toContain('MBEDTLS_SSL_VERIFY_REQUIRED'); // the diff did show the fixed line
    for (const [name, text] of Object.entries(outputs)) {
      for (const needle of [SECRET, SECRET.slice(3), PIN, PIN.slice(1)]) {
        expect(text.includes(needle), `${name} leaks ${needle.slice(0, 3)}…`).toBe(false);
      }
    }
  });
});
