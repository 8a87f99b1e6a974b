/**
 * banned-unsafe-function: calls to the C string and formatting functions that cannot bound what they write
 * (`gets`, `strcpy`, `strcat`, `sprintf`, `vsprintf`, their wide and Windows variants) and scanf-family `%s`
 * conversions without a field width. Matched on the call itself, so identifiers that merely contain the name
 * (`my_strcpy_safe`), the bounded `_s` variants, comments and other namespaces' functions (`fmt::sprintf`,
 * Qt's `str.sprintf`) are not findings.
 */
import type { Call } from '../../server/src/core/model/types';
import type { Confidence, Fix, RuleContext } from '../../server/src/core/types';
import {
  BANNED_FUNCTIONS, SCANF_FORMAT_INDEX, bannedCallName, isLocalCharArray, unboundedScanfConversions,
} from './table';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'banned-unsafe-function',
    title: 'Banned unbounded C string or formatting function',
    severity: 'high',
    confidence: 'high',
    languages: ['c', 'cpp'],
    cwe: [242, 676, 120],
    fda: ['app1.D.8', 'app1.D.11', '524b.b2'],
    iec62443: ['CR 3.5', 'SI-2'],
    fix: 'safe',
    presets: ['recommended'],
    docs,
  },
  check(ctx) {
    findBannedCalls(ctx);
  },
});

const FORMATTERS = new Set(['sprintf', 'vsprintf']);
const IMPACT = 'a longer input from a sensor, BLE characteristic, serial frame or network message overwrites adjacent memory (stack, therapy state, return address)';

/** Replaces the last segment of the callee (`std::sprintf` → `std::snprintf`). */
function renameCallee(call: Call, newName: string) {
  return { span: { start: call.calleeSpan.end - call.name.length, end: call.calleeSpan.end }, newText: newName };
}

/** The fix for a call whose destination is a char array declared in the same function or file, if any. */
function boundedFix(ctx: RuleContext, call: Call, name: string): Fix | undefined {
  const dst = call.args[0];
  if (!isLocalCharArray(dst, call, ctx.model, ctx.text.content)) return undefined;
  const size = `sizeof ${dst.text}`;
  switch (name) {
    case 'sprintf':
    case 'vsprintf':
      if (call.args.length < 2) return undefined;
      return {
        title: `Bound the write with ${name === 'sprintf' ? 'snprintf' : 'vsnprintf'}(${dst.text}, ${size}, ...)`,
        safety: 'safe',
        edits: [renameCallee(call, name === 'sprintf' ? 'snprintf' : 'vsnprintf'), { span: { start: dst.end, end: dst.end }, newText: `, ${size}` }],
      };
    case 'gets':
      if (call.args.length !== 1) return undefined;
      return {
        title: `Read with fgets(${dst.text}, ${size}, stdin)`,
        safety: 'suggestion',
        edits: [renameCallee(call, 'fgets'), { span: { start: dst.end, end: dst.end }, newText: `, ${size}, stdin` }],
      };
    case 'strcpy':
      if (call.args.length !== 2) return undefined;
      return {
        title: `Copy with snprintf(${dst.text}, ${size}, "%s", ...)`,
        safety: 'suggestion',
        edits: [renameCallee(call, 'snprintf'), { span: { start: dst.end, end: dst.end }, newText: `, ${size}, "%s"` }],
      };
    default:
      return undefined;
  }
}

function findBannedCalls(ctx: RuleContext): void {
  const definedHere = new Set(ctx.model.functions.map((f) => f.name));
  for (const call of ctx.model.calls) {
    const name = bannedCallName(call);
    if (!name || definedHere.has(name)) continue;
    const banned = Object.prototype.hasOwnProperty.call(BANNED_FUNCTIONS, name) ? BANNED_FUNCTIONS[name] : undefined;
    if (banned) {
      const fix = boundedFix(ctx, call, name);
      // A string literal copied into a buffer is a bounded copy in practice; still banned, less likely exploitable.
      const copiesLiteral = !FORMATTERS.has(name) && !banned.inherentlyUnsafe && call.args[1]?.kind === 'string';
      const confidence: Confidence = copiesLiteral ? 'medium' : 'high';
      ctx.report({
        span: call,
        message: `\`${name}\` ${banned.why}: ${IMPACT}. Use ${banned.replacement}.`,
        fixes: fix ? [fix] : undefined,
        confidence,
      });
      continue;
    }
    const formatIndex = Object.prototype.hasOwnProperty.call(SCANF_FORMAT_INDEX, name) ? SCANF_FORMAT_INDEX[name] : undefined;
    const format = formatIndex === undefined ? undefined : call.args[formatIndex];
    if (format?.kind !== 'string' || format.value === undefined) continue;
    const unbounded = unboundedScanfConversions(format.value);
    if (!unbounded.length) continue;
    ctx.report({
      span: call,
      message: `\`${name}\` with \`${unbounded[0]}\` and no field width writes a word of any length into the buffer: ${IMPACT}. Give every \`%s\`/\`%[\` a width one less than the buffer (\`%31s\` for \`char buf[32]\`).`,
    });
  }
}
