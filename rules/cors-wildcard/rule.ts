/**
 * cors-wildcard: CORS policies that let any web origin call a device service or its cloud API from a browser.
 */

import { findWildcardCors } from './detect';
import {
  AUTHORIZATION_FACT,
  choosesOriginPerResponse,
  family,
  inDevServerConfig,
  isFixedResponse,
  readsAuthorizationHeader,
} from './exposure';
import docs from './docs.md';
import { defineRule } from '../_shared/define-rule';

export default defineRule({
  meta: {
    id: 'cors-wildcard',
    title: 'CORS policy admits every origin',
    severity: 'medium',
    confidence: 'high',
    languages: ['typescript', 'javascript', 'python', 'java', 'kotlin', 'c', 'cpp'],
    cwe: [942],
    fda: ['app1.B.3', 'app1.B.4', '524b.b2'],
    sees: 'CORS policies that admit every origin',
    iec62443: ['CR 2.1', 'CR 7.7'],
    fix: 'none',
    presets: ['recommended'],
    docs,
    // The header's name (calls, bindings, header text), the CORS libraries and settings (`cors`, `CORS(...)`,
    // `enableCors`, `CORSMiddleware`, `CORS_ALLOW_ALL_ORIGINS`), Flask's `cross_origin`, Spring's `allowedOrigin*`
    // and `@CrossOrigin`; and `authorization`, which the fact that the API reads the header needs.
    needs: ['access-control-allow-origin', 'cors', 'cross_origin', 'allowedorigin', 'crossorigin', 'authorization'],
  },
  check(ctx) {
    if (readsAuthorizationHeader(ctx)) ctx.provide(AUTHORIZATION_FACT, [family(ctx.language)]);
    const seen = new Set<number>();
    const perResponseOrigin = choosesOriginPerResponse(ctx);
    for (const hit of findWildcardCors(ctx.language, ctx.model, ctx.text.content, ctx.flow)) {
      if (seen.has(hit.span.start)) continue;
      seen.add(hit.span.start);
      if (inDevServerConfig(ctx, hit.span)) continue;
      if (hit.text !== undefined && (isFixedResponse(hit.text) || perResponseOrigin)) continue;
      ctx.report({
        span: hit.span,
        message: `${hit.what[0].toUpperCase()}${hit.what.slice(1)}: ${hit.credentials ? CREDENTIALS_RISK : RISK}. Allow only the origins that need it.`,
        confidence: hit.confidence,
        // Without credentials, an API that requires an Authorization header on its requests gives a foreign page nothing.
        ...(hit.policy && !hit.credentials ? { unless: { fact: AUTHORIZATION_FACT, anyOf: [family(ctx.language)] } } : {}),
      });
    }
  },
});

const RISK = 'any web page a clinician or patient opens can call this API from their browser and read the responses';
const CREDENTIALS_RISK =
  'with credentials allowed, any web page the user opens can make authenticated calls with their session (read patient data, change device settings) and read the answers';
