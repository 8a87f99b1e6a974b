/** Where a rule's fixtures are, and which of its files are fixtures (not `.fixed` results, not snapshots). */
import * as fs from 'fs';
import * as path from 'path';
import { detectFileLanguage } from '../../server/src/core/language';

export const RULES = path.join(__dirname, '..', '..', 'rules');

export const fixturesOf = (ruleId: string): string => path.join(RULES, ruleId, 'fixtures');

/** The fixture files of a rule, sorted: every file below `fixtures/` in a language medsec reads. */
export function ruleFixtureFiles(ruleId: string): string[] {
  const dir = fixturesOf(ruleId);
  if (!fs.existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        // A CLI scan of a fixture project leaves its result cache behind: never a fixture.
        if (e.name !== '__snapshots__' && e.name !== '.medsec-cache') walk(p);
      } else if (!/\.fixed(\.|$)/.test(e.name) && detectFileLanguage(p)) files.push(p);
    }
  };
  walk(dir);
  return files.sort();
}
