/**
 * A URL the code insists is cleartext: `if (!url.startsWith("http://")) return;` rejects every address but plain
 * HTTP, and the URL then reaches a network call (`http.begin(url)`). The `"http://"` there is no endpoint a reader
 * sees, so the literal checks miss it, yet it is the policy: whatever the URL names is fetched in the clear. When
 * the response is written as firmware (`Update.writeStream`, `esp_ota_write`, `httpUpdate.update`), anyone on the
 * network path can replace the image (Open-Smartwatch's active OTA does this).
 *
 * Only a rejecting guard counts: a negated scheme test whose branch leaves the function (return, throw). A test that
 * picks between a TLS and a plain client, or that rejects `http://` (HTTPS enforced), is not this.
 */
import type { Node } from 'web-tree-sitter';
import type { Call, Expr } from '../../server/src/core/model/types';
import type { RuleContext, Span } from '../../server/src/core/types';
import { sinksFor } from '../_shared/network-sinks';

export interface HttpOnlyHit {
  span: Span;
  message: string;
}

/** Calls that write a downloaded image to the update partition. */
const FIRMWARE_WRITE = /^(?:Update\.(?:write|writeStream)|esp_ota_write|(?:httpUpdate|ESPhttpUpdate|ESP32httpUpdate)\.update)$/;

export function findHttpOnlySchemes(ctx: RuleContext): HttpOnlyHit[] {
  if ((ctx.language !== 'cpp' && ctx.language !== 'c') || !ctx.tree || !ctx.text.content.includes('"http://"')) return [];
  const hits: HttpOnlyHit[] = [];
  for (const test of ctx.model.calls) {
    const scheme = test.args[0];
    if (test.name !== 'startsWith' || scheme?.kind !== 'string' || scheme.value?.toLowerCase() !== 'http://') continue;
    if (test.receiver?.kind !== 'name' || !rejectsOtherSchemes(ctx, test)) continue;
    const sink = reachedSink(ctx, test, test.receiver);
    if (!sink) continue;
    const firmware = ctx.model.calls.some((c) => c.fn === test.fn && FIRMWARE_WRITE.test(c.callee));
    const url = test.receiver.text;
    hits.push({
      span: scheme,
      message: firmware
        ? `Cleartext firmware download: this check turns away every \`${url}\` that is not \`http://\`, and the image fetched from it (\`${sink.callee}()\`) is written as firmware, so anyone on the network path can read it and replace it with their own. Accept \`https://\` only, with the server's CA (\`WiFiClientSecure.setCACert\`), and verify the image's signature before it is installed.`
        : `Cleartext HTTP enforced: this check turns away every \`${url}\` that is not \`http://\`, and the URL then reaches \`${sink.callee}()\`, so what it fetches or sends can be read and altered on the network path. Accept \`https://\` with the server's CA instead.`,
    });
  }
  return hits;
}

/**
 * The network call the tested URL is handed to after the test, in the same function: the variable itself in one of
 * the call's URL inputs (`http.begin(url)`, `http.begin(client, url)`).
 */
function reachedSink(ctx: RuleContext, test: Call, url: Expr): Call | undefined {
  const sinks = sinksFor(ctx.language);
  return ctx.model.calls.find(
    (c) =>
      c.fn === test.fn &&
      c.start > test.end &&
      sinks.some((s) => s.matches(c) && s.slots.some((slot) => typeof slot === 'number' && c.args[slot]?.text === url.text)),
  );
}

/** `if (!url.startsWith("http://")) { ...; return; }`: the negated test guards an exit. */
function rejectsOtherSchemes(ctx: RuleContext, test: Call): boolean {
  let node: Node | null = ctx.tree!.rootNode.descendantForIndex(test.start, test.end);
  while (node && node.type !== 'call_expression') node = node.parent;
  let negated = false;
  for (let up = node?.parent ?? null; up; up = up.parent) {
    if (up.type === 'parenthesized_expression' || up.type === 'condition_clause') continue;
    if (up.type === 'unary_expression' && !negated && up.child(0)?.type === '!') {
      negated = true;
      continue;
    }
    if (up.type !== 'if_statement' || !negated) return false;
    const consequence = up.childForFieldName('consequence');
    return !!consequence && /\b(?:return|throw)\b/.test(consequence.text);
  }
  return false;
}
