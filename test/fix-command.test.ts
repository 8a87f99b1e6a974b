/** `medsec fix`: safe fixes only, refused when they would break the syntax, `--dry-run` writes nothing. */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runFixCommand } from '../server/src/cli/commands/fix';
import { unifiedDiff } from '../server/src/cli/unified-diff';
import type { FixSafety, Rule } from '../server/src/core/types';
import { fakeRule, useTempProject } from './helpers/project';
import { registryOf } from './helpers/registry';

const project = useTempProject('fix');

/** A stand-in rule: reports every `word` and offers replacing it with `replacement` at `safety`. */
function replacingRule(id: string, word: string, replacement: string, safety: Exclude<FixSafety, 'none'>): Rule {
  const base = fakeRule(id);
  return {
    meta: { ...base.meta, fix: safety },
    check(context) {
      const text = context.text.content;
      for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
        const span = { start: at, end: at + word.length };
        context.report({
          span,
          message: `${word} found`,
          fixes: [{ title: `Use ${replacement}`, safety, edits: [{ span, newText: replacement }] }],
        });
      }
    },
  };
}

const RULES = [
  replacingRule('safe-rename', 'legacy_verify_none', 'verify_required', 'safe'),
  replacingRule('suggested-rename', 'md5_digest', 'sha256_digest', 'suggestion'),
  // Its "safe" fix turns `;` of the marker statement into `{`: a syntax error the command must refuse.
  replacingRule('breaking-fix', 'break_me();', 'break_me() {', 'safe'),
];
const CONFIG = '{ "extends": [], "rules": { "safe-rename": "high", "suggested-rename": "high", "breaking-fix": "high" } }';

async function fix(dryRun = false): Promise<string> {
  let out = '';
  const code = await runFixCommand([project.dir], { dryRun }, registryOf(RULES), (text) => (out += text));
  expect(code).toBe(0);
  return out;
}

describe('medsec fix', () => {
  it('applies safe fixes and leaves suggestions alone', async () => {
    project.write('.medsec.json', CONFIG);
    const file = project.write('src/tls.c', 'int mode = legacy_verify_none;\nint h = md5_digest;\nint again = legacy_verify_none;\n');
    const out = await fix();
    expect(fs.readFileSync(file, 'utf8')).toBe('int mode = verify_required;\nint h = md5_digest;\nint again = verify_required;\n');
    expect(out).toMatch(/Applied 2 safe fixes in 1 file; 1 suggested fix needs review/);
  });

  it('prints a unified diff and writes nothing with --dry-run', async () => {
    project.write('.medsec.json', CONFIG);
    const original = 'int a;\nint mode = legacy_verify_none;\nint b;\n';
    const file = project.write('src/tls.c', original);
    const out = await fix(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
    expect(out).toContain(
      '--- a/src/tls.c\n+++ b/src/tls.c\n@@ -1,3 +1,3 @@\n int a;\n-int mode = legacy_verify_none;\n+int mode = verify_required;\n int b;\n',
    );
    expect(out).toMatch(/Would apply 1 safe fix in 1 file\./);
  });

  it('refuses a file whose fix would introduce a syntax error', async () => {
    project.write('.medsec.json', CONFIG);
    const original = 'void break_me(void);\nvoid f(void) {\n  break_me();\n}\n';
    const broken = project.write('src/broken.c', original);
    const fine = project.write('src/fine.c', 'int mode = legacy_verify_none;\n');
    const out = await fix();
    expect(fs.readFileSync(broken, 'utf8')).toBe(original);
    expect(fs.readFileSync(fine, 'utf8')).toBe('int mode = verify_required;\n');
    expect(out).toMatch(/Not fixed src\/broken\.c: the fix would introduce a syntax error/);
    expect(out).toMatch(/Applied 1 safe fix in 1 file; refused 1 file\./);
  });

  it('does not fix suppressed findings', async () => {
    project.write('.medsec.json', CONFIG);
    const original = '// medsec-ignore-next-line safe-rename -- interop with the legacy bedside monitor\nint mode = legacy_verify_none;\n';
    const file = project.write('src/tls.c', original);
    await fix();
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });
});

describe('unifiedDiff', () => {
  it('joins nearby changes into one hunk and separates distant ones', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 2\n', 'LINE 2\n').replace('line 5\n', 'LINE 5\n').replace('line 25\n', 'LINE 25\n');
    const diff = unifiedDiff(path.join('x.c'), before, after);
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,8 +1,8 @@', '@@ -22,7 +22,7 @@']);
  });
});
