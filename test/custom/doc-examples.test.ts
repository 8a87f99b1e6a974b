/** The worked examples of docs/custom-rules.md: each JSON block loads, its examples pass, and it finds what it says. */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { checkFile } from '../../server/src/core/check';
import { loadCheckedConfig } from '../../server/src/core/config';
import type { LanguageId } from '../../server/src/core/types';
import { useTempProject } from '../helpers/project';
import { BUILTIN } from '../helpers/registry';

const DOC = path.join(__dirname, '..', '..', 'docs', 'custom-rules.md');
/** The ```json blocks (the jsonc one is the annotated overview, not a complete rule). */
const blocks = [...fs.readFileSync(DOC, 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
const project = useTempProject('custom-doc');

async function run(block: string, file: string, text: string, language: LanguageId) {
  project.write('.medsec.json', block);
  const config = await loadCheckedConfig(project.dir, undefined, BUILTIN);
  const custom = config.rulesFor(file).filter((effective) => effective.rule.meta.id.includes('/'));
  return checkFile({ path: path.join(project.dir, file), relativePath: file, text, language }, custom);
}

describe('docs/custom-rules.md worked examples', () => {
  it('has the three worked examples', () => {
    expect(blocks).toHaveLength(3);
  });

  it('1: flags dev_unlock() and offers a fix that parses', async () => {
    const result = await run(blocks[0], 'src/service.c', 'void service_mode(void) {\n  dev_unlock(FACTORY_KEY);\n}\n', 'c');
    expect(result.findings.map((f) => [f.ruleId, f.range.start.line])).toEqual([['acme/no-dev-unlock', 1]]);
    expect(result.findings[0].message).toMatch(/^dev_unlock\(\) unlocks the debug port/);
    expect(result.findings[0].fixes[0].edits[0].newText).toBe('dev_unlock_authenticated(FACTORY_KEY)');
  });

  it('2: flags bootloader_swap() without acme_verify_image() earlier in the function', async () => {
    const code = [
      'void ota_bad(void) {',
      '  bootloader_swap();',
      '}',
      'void ota_good(void) {',
      '  if (acme_verify_image(SLOT_B) != 0) return;',
      '  bootloader_swap();',
      '}',
      'void ota_late(void) {',
      '  bootloader_swap();',
      '  acme_verify_image(SLOT_B);',
      '}',
      '',
    ].join('\n');
    const result = await run(blocks[1], 'boot/ota.c', code, 'c');
    expect(result.findings.map((f) => [f.ruleId, f.range.start.line])).toEqual([
      ['acme/verify-before-swap', 1],
      ['acme/verify-before-swap', 8],
    ]);
  });

  it('3: flags CONFIG_SHELL_BACKEND_TELNET=y and not the disabled form', async () => {
    const result = await run(
      blocks[2],
      'prj.conf',
      'CONFIG_SHELL=y\nCONFIG_SHELL_BACKEND_TELNET=y\n# CONFIG_SHELL_BACKEND_TELNET is not set\n',
      'kconfig',
    );
    expect(result.findings.map((f) => [f.ruleId, f.range.start.line])).toEqual([['acme/no-telnet-shell', 1]]);
    expect(result.findings[0].message).toMatch(/^CONFIG_SHELL_BACKEND_TELNET=y enables/);
    expect(result.findings[0].fixes[0].edits[0].newText).toBe('# CONFIG_SHELL_BACKEND_TELNET is not set');
  });
});
