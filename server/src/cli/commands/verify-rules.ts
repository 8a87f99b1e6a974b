/**
 * `medsec verify-rules [--config FILE]`: loads the configuration and checks every custom rule against its
 * own `examples` (each `match` example must produce a finding, each `noMatch` example none). Exit 0 when
 * all pass, 1 when an example fails (each failure on its own line with file:line:col), 2 when the
 * configuration itself is invalid.
 */
import * as path from 'path';
import { builtinRegistry } from '../../builtin-registry';
import { customRulesOf, findConfigRoot, loadCheckedConfig, verifyCustomRules } from '../../core/config';
import { EXIT } from '../errors';

export async function runVerifyRulesCommand(
  options: { config?: string },
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const root = options.config ? path.dirname(path.resolve(options.config)) : (findConfigRoot(process.cwd()) ?? process.cwd());
  const config = await loadCheckedConfig(root, options.config, { registry: builtinRegistry, checkExamples: false });
  const rules = customRulesOf(config);
  const { errors, checked } = verifyCustomRules(config);
  for (const error of errors) err.write(`medsec: ${error.message}\n`);
  const source = config.source ? path.relative(process.cwd(), config.source) || config.source : 'the default configuration';
  if (errors.length > 0) {
    out.write(`${errors.length} of ${checked} example(s) failed in ${rules.length} custom rule(s) of ${source}\n`);
    return EXIT.findings;
  }
  out.write(
    rules.length === 0 ? `no custom rules in ${source}\n` : `${rules.length} custom rule(s) in ${source}: all ${checked} example(s) pass\n`,
  );
  return EXIT.ok;
}
