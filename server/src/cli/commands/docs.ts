/** `medsec docs [--write|--check]`: regenerate, or verify, the rule reference and the README rule table. */
import { builtinRegistry } from '../../builtin-registry';
import { checkDocs, writeDocs } from '../../docs/generate';
import { packageRoot } from '../../core/version';
import { EXIT, UsageError } from '../errors';

export function runDocsCommand(mode: 'write' | 'check'): number {
  const root = packageRoot();
  if (mode === 'write') {
    let changed: string[];
    try {
      changed = writeDocs(root, builtinRegistry.rules);
    } catch (error) {
      throw new UsageError(`cannot write the docs: ${error instanceof Error ? error.message : String(error)}`);
    }
    process.stdout.write(changed.length ? changed.map((file) => `updated ${file}\n`).join('') : 'docs are up to date\n');
    return EXIT.ok;
  }
  const drift = checkDocs(root, builtinRegistry.rules);
  if (drift.length === 0) {
    process.stdout.write('docs are up to date\n');
    return EXIT.ok;
  }
  process.stdout.write(drift.map((entry) => `${entry.path}: ${entry.problem}\n`).join(''));
  process.stderr.write('medsec: the generated docs are out of date; run `medsec docs --write` (npm run docs)\n');
  return EXIT.findings;
}
