/**
 * cors-wildcard: CORS policies that let any web origin call a device service or its cloud API from a browser.
 */
import type { Rule } from '../../server/src/core/types';
import { findWildcardCors } from './detect';

const RISK = 'any web page a clinician or patient opens can call this API from their browser and read the responses';
const CREDENTIALS_RISK = 'with credentials allowed, any web page the user opens can make authenticated calls with their session (read patient data, change device settings) and read the answers';

export default {
  meta: {
    id: 'cors-wildcard',
    title: 'CORS policy admits every origin',
    severity: 'medium',
    confidence: 'high',
    languages: ['typescript', 'javascript', 'python', 'java', 'kotlin', 'c', 'cpp'],
    cwe: [942],
    fda: ['app1.B.3', 'app1.B.4', '524b.b2'],
    iec62443: ['CR 2.1', 'CR 7.7'],
    fix: 'none',
    presets: ['recommended'],
    docs: {
      summary: [
        'Finds cross-origin (CORS) policies that admit every web origin:',
        '- **Any language**: `Access-Control-Allow-Origin` set to `*` or to the request\'s own `Origin` through a header call (`res.setHeader`,',
        '  `response.setHeader`, ESP-IDF `httpd_resp_set_hdr`), a header dict or object, or raw header text (`"Access-Control-Allow-Origin: *\\r\\n"`).',
        '- **Node**: `cors()` without options, `cors({ origin: "*" })`, `cors({ origin: true })` (reflects any origin), the same options to',
        '  `@fastify/cors`, and NestJS `enableCors()` without options.',
        '- **Python**: Flask-CORS `CORS(app)` / `@cross_origin()` without `origins` (the default is `*`) or with `origins="*"`, Starlette/FastAPI',
        '  `CORSMiddleware` with `allow_origins=["*"]`, django-cors-headers `CORS_ALLOW_ALL_ORIGINS = True`.',
        '- **Java/Kotlin** (Spring): `allowedOrigins("*")`, `addAllowedOrigin("*")`, `allowedOriginPatterns("*")`, `@CrossOrigin` without `origins`',
        '  (medium confidence) or with `origins = "*"`.',
        '',
        'Messages say so when credentials are allowed as well, the worst case. Policies naming specific origins are not reported.',
      ].join('\n'),
      risk: 'Device web consoles, gateway APIs and companion-app backends often sit on hospital or home networks and trust the browser that reaches them. A wildcard CORS policy lets any web page the user happens to open, an advert or a phishing link, call that API from the user\'s browser and read the replies: device status, patient data, configuration. With credentials allowed (cookies or `Authorization` sent along), the page acts as the logged-in clinician and can change therapy settings. FDA expects least privilege and deny-by-default for connections (Appendix 1 B.3 and B.4).',
      fix: 'List the origins that need access (the clinician portal, the companion web app) and reject the rest: `cors({ origin: ["https://portal.example.com"] })`, `CORS(app, origins=["https://portal.example.com"])`, `allowedOrigins("https://portal.example.com")`. Never combine credentials with a wildcard or a reflected origin. A device API that no browser page needs should send no CORS headers at all.',
      examples: [
        {
          language: 'typescript',
          bad: "import express from 'express';\nimport cors from 'cors';\nconst app = express();\napp.use(cors());\n",
          good: "import express from 'express';\nimport cors from 'cors';\nconst app = express();\napp.use(cors({ origin: ['https://portal.example.com'] }));\n",
        },
        {
          language: 'python',
          bad: 'from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app)\n',
          good: 'from flask import Flask\nfrom flask_cors import CORS\napp = Flask(__name__)\nCORS(app, origins=["https://portal.example.com"])\n',
        },
        {
          language: 'c',
          bad: 'static esp_err_t status_get(httpd_req_t *req) {\n    httpd_resp_set_hdr(req, "Access-Control-Allow-Origin", "*");\n    return httpd_resp_sendstr(req, status_json());\n}\n',
          good: 'static esp_err_t status_get(httpd_req_t *req) {\n    httpd_resp_set_hdr(req, "Access-Control-Allow-Origin", "https://portal.example.com");\n    return httpd_resp_sendstr(req, status_json());\n}\n',
        },
      ],
      fixSafety: 'No automatic fix: only the project knows which origins legitimately call the API, and a wrong list breaks the web client.',
      references: [
        { title: 'CWE-942: Permissive Cross-domain Policy with Untrusted Domains', url: 'https://cwe.mitre.org/data/definitions/942.html' },
        { title: 'OWASP: Testing Cross Origin Resource Sharing', url: 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/11-Client-side_Testing/07-Testing_Cross_Origin_Resource_Sharing' },
        { title: 'MDN: Access-Control-Allow-Origin', url: 'https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Origin' },
        { title: 'Flask-CORS: configuration', url: 'https://flask-cors.readthedocs.io/en/latest/configuration.html' },
      ],
    },
  },
  check(ctx) {
    const seen = new Set<number>();
    for (const hit of findWildcardCors(ctx.language, ctx.model, ctx.text.content)) {
      if (seen.has(hit.span.start)) continue;
      seen.add(hit.span.start);
      ctx.report({
        span: hit.span,
        message: `${hit.what[0].toUpperCase()}${hit.what.slice(1)}: ${hit.credentials ? CREDENTIALS_RISK : RISK}. Allow only the origins that need it.`,
        confidence: hit.confidence,
      });
    }
  },
} satisfies Rule;
