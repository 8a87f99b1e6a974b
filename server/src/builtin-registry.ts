/**
 * The rule registry medsec ships: the rules of rules/ and the taxonomy their metadata cites. The engine
 * (core/) never imports rules/; the adapters (CLI, language server, scan worker) hand it this registry.
 */
import { builtinRules } from '../../rules/index';
import { CWE, FDA, IEC62443 } from '../../rules/taxonomy';
import type { RuleRegistry } from './core/types';

export const builtinRegistry: RuleRegistry = { rules: builtinRules, taxonomy: { cwe: CWE, fda: FDA, iec62443: IEC62443 } };
