/**
 * Best-effort use tracking for a verification verdict stored in a variable: is the variable read as a
 * decision (a condition, comparison, return, argument) before the image is activated or the function ends,
 * or is it overwritten or never read? Text-based within the function, skipping comments, strings and
 * logging calls, because the model has no def-use chains.
 */
import type { Binding, Call, CodeModel, FunctionDef } from '../../server/src/core/model/types';
import type { SourceText } from '../../server/src/core/text';

const LOGGING_CALL =
  /^(printf|fprintf|puts|ESP_LOG[A-Z]*|ESP_DRAM_LOG[A-Z]*|LOG_[A-Z]+|printk|print|println|Serial\.print(ln|f)?|Log\.[a-z]+|log\.[a-z]+|logger\.[a-z]+|logging\.[a-z]+|Timber\.[a-z]+|System\.out\.print(ln|f)?)$/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type StoredVerdict = 'used' | 'overwritten' | 'unused';

/** The binding that stores `call`'s result (`ret = mbedtls_pk_verify(...)`, `val ok = sig.verify(s)`). */
export function bindingOf(call: Call, model: CodeModel, text: SourceText): Binding | undefined {
  const callText = text.content.slice(call.start, call.end);
  return (
    model.bindings.find((b) => b.value.start <= call.start && call.end <= b.value.end && b.value.call === call) ??
    model.bindings.find(
      (b) => b.value.start <= call.start && call.end <= b.value.end && b.value.text.replace(/^\(\s*\w+\s*\)\s*/, '').trim() === callText,
    )
  );
}

/**
 * What happens to the variable `binding.target` between the binding and `limit` (an activation call's
 * start, or the end of the function).
 */
export function storedVerdictUse(
  binding: Binding,
  fn: FunctionDef | undefined,
  limit: number,
  model: CodeModel,
  text: SourceText,
): StoredVerdict {
  const from = binding.end;
  const to = Math.min(limit, fn?.end ?? text.content.length);
  const ignored = (offset: number) =>
    model.comments.some((c) => c.start <= offset && offset < c.end) ||
    model.strings.some((s) => s.start <= offset && offset < s.end) ||
    model.calls.some((c) => c.start <= offset && offset < c.end && LOGGING_CALL.test(c.callee));
  const name = new RegExp(`(?<![\\w.>])${escapeRegExp(binding.target)}(?!\\w)`, 'g');
  name.lastIndex = from;
  for (let m = name.exec(text.content); m && m.index < to; m = name.exec(text.content)) {
    if (ignored(m.index)) continue;
    const after = text.content.slice(m.index + m[0].length, m.index + m[0].length + 4);
    if (/^\s*=(?!=)/.test(after)) return 'overwritten';
    return 'used';
  }
  return 'unused';
}
