/** Shared by the config, discovery and CLI tests: a throw-away project folder and stand-in rules. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeEach } from 'vitest';
import type { LanguageId, Rule, RuleMeta, Severity } from '../../server/src/core/types';

/** A fresh temporary folder for each test, removed after it; `project.dir` is the current one. */
export function useTempProject(prefix: string): { readonly dir: string; write(name: string, content?: string | Uint8Array): string } {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `medsec-${prefix}-`));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    /** Writes a file (creating its folders) and returns its absolute path. */
    write(name, content = 'int x;\n') {
      const file = path.join(dir, name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
      return file;
    },
  };
}

/** A rule that reports nothing, so tests do not depend on which real rules exist. */
export function fakeRule(
  id: string,
  options: { severity?: Severity; presets?: RuleMeta['presets']; aliases?: string[]; languages?: readonly LanguageId[] } = {},
): Rule {
  return {
    meta: {
      id,
      title: id,
      severity: options.severity ?? 'high',
      confidence: 'high',
      languages: [...(options.languages ?? ['c'])],
      cwe: [798],
      fda: [],
      iec62443: [],
      fix: 'none',
      presets: options.presets ?? ['recommended'],
      aliases: options.aliases,
      docs: { summary: '', risk: '', fix: '', examples: [], fixSafety: '', references: [] },
    },
    check: () => undefined,
  };
}
