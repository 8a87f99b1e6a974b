/**
 * secret-in-url-query: a token, API key or password sent in the query string of a requested URL.
 */
import { findQuerySecrets } from './detect';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'secret-in-url-query',
    title: 'Secret sent in a URL query string',
    severity: 'medium',
    confidence: 'high',
    languages: ['c', 'cpp', 'python', 'java', 'kotlin', 'typescript', 'javascript'],
    cwe: [598],
    fda: ['app1.E.1', 'app1.F.2', '524b.b2'],
    sees: {
      'app1.E.1': 'tokens, API keys and passwords sent in URL query strings',
      'app1.F.2': 'tokens, API keys and passwords sent in URL query strings, which servers and proxies log',
    },
    iec62443: ['CR 1.5', 'CR 4.1'],
    fix: 'none',
    presets: ['recommended'],
    docs,
  },
  check(ctx) {
    for (const hit of findQuerySecrets(ctx)) {
      const callee = /^[\w$.]+$/.test(hit.sink.call.callee) ? hit.sink.call.callee : hit.sink.call.name;
      ctx.report({
        span: hit.span,
        message: `Secret in a URL query string: \`${hit.param}=\` carries ${hit.what} into \`${callee}()\` (${hit.sink.sink.what}). Query strings are written to server, proxy and gateway access logs, browser history and crash reports, and travel in the clear over http://; send the secret in an \`Authorization\` header or the request body instead.`,
        secret: hit.secret,
        confidence: hit.confidence,
      });
    }
  },
});
