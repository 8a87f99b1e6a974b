#!/usr/bin/env node
// Deterministic synthetic corpus for medsec benchmarks.
//
//   node bench/gen-corpus.mjs --lines 200000 --out bench/corpus [--seed 1]
//
// Writes C, C++, Python, Java, Kotlin, TypeScript and JavaScript files (200-1500 lines each, in the
// proportions of LANG_SHARE) plus a few sdkconfig and .env files. Every file is syntactically valid
// for its language; roughly one security weakness (the kind medsec rules look for) is planted per
// WEAK_EVERY lines, next to a similar number of safe look-alikes. The same arguments always give
// byte-identical output: all randomness comes from a seeded PRNG, never Math.random or the clock.
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LANG_SHARE = { c: 0.35, cpp: 0.1, python: 0.15, java: 0.1, kotlin: 0.1, ts: 0.15, js: 0.05 };
const EXT = { c: 'c', cpp: 'cpp', python: 'py', java: 'java', kotlin: 'kt', ts: 'ts', js: 'js' };
const MIN_FILE = 200;
const MAX_FILE = 1500;
const WEAK_EVERY = 300;
const FILES_PER_DIR = 40;
const MARKER = '.gen-corpus';

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const opts = { lines: 200000, out: 'bench/corpus', seed: 1, force: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--lines') opts.lines = Number(next());
    else if (a === '--out') opts.out = next();
    else if (a === '--seed') opts.seed = Number(next());
    else if (a === '--force') opts.force = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node bench/gen-corpus.mjs [--lines N] [--out DIR] [--seed N] [--force]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.lines) || opts.lines < MIN_FILE) throw new Error('--lines must be an integer >= 200');
  if (!Number.isInteger(opts.seed)) throw new Error('--seed must be an integer');
  return opts;
}

// ---------------------------------------------------------------- PRNG (sfc32 seeded by splitmix32)

function makeRng(seed) {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix(),
    b = splitmix(),
    c = splitmix(),
    d = splitmix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    hex: (n) => {
      let o = '';
      for (let i = 0; i < n; i++) o += '0123456789abcdef'[int(0, 15)];
      return o;
    },
    alnum: (n) => {
      const cs = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
      let o = '';
      for (let i = 0; i < n; i++) o += cs[int(0, cs.length - 1)];
      return o;
    },
  };
}

// ---------------------------------------------------------------- vocabulary (no keyword of any target language)

const VERBS = [
  'read',
  'write',
  'update',
  'check',
  'compute',
  'encode',
  'decode',
  'parse',
  'apply',
  'scale',
  'clamp',
  'sample',
  'filter',
  'report',
  'queue',
  'flush',
  'reset',
  'arm',
  'prime',
  'drain',
  'calibrate',
  'validate',
  'collect',
  'merge',
  'render',
  'schedule',
  'poll',
  'store',
  'load',
  'notify',
];
const NOUNS = [
  'dose',
  'rate',
  'pressure',
  'sensor',
  'motor',
  'alarm',
  'battery',
  'volume',
  'channel',
  'frame',
  'packet',
  'record',
  'session',
  'buffer',
  'counter',
  'limit',
  'profile',
  'bolus',
  'reservoir',
  'occlusion',
  'therapy',
  'patient',
  'ward',
  'pump',
  'display',
  'keypad',
  'event',
  'timer',
  'checksum',
  'segment',
];
const ADJS = [
  'primary',
  'backup',
  'pending',
  'active',
  'last',
  'next',
  'max',
  'min',
  'raw',
  'filtered',
  'total',
  'current',
  'target',
  'nominal',
  'peak',
];
const PHRASES = [
  'pump started',
  'occlusion detected',
  'battery low',
  'dose limit reached',
  'sensor timeout',
  'frame dropped',
  'therapy paused',
  'record stored',
  'queue full',
  'calibration done',
  'link restored',
  'profile loaded',
  'value out of range',
  'retrying request',
  'bolus delivered',
  'alarm acknowledged',
];
const HOST_A = ['ward', 'icu', 'pump', 'gw', 'telemetry', 'fleet', 'mes', 'nurse', 'lab', 'pharm'];
const HOST_B = ['st-anne-hospital.org', 'medcenter.net', 'infusion-labs.com', 'clinic-east.org', 'hcare-group.net'];

const cap = (s) => s[0].toUpperCase() + s.slice(1);

// ---------------------------------------------------------------- dialects

const C_LIKE = { open: ' {', close: '}', indent: '    ' };

function makeDialects(r) {
  const lit = (s) => JSON.stringify(s); // plain ASCII phrases: JSON quoting is valid C/Java/Kotlin/JS
  const sq = (s) => `'${s}'`;
  return {
    c: {
      ...C_LIKE,
      lang: 'c',
      snake: true,
      decl: (n, v) => `int ${n} = ${v};`,
      strDecl: (n, s) => `const char *${n} = ${lit(s)};`,
      boolDecl: (n, v) => `bool ${n} = ${v};`,
      assign: (n, v) => `${n} = ${v};`,
      call: (f, args) => `${f}(${args.join(', ')});`,
      log: (msg, v) => (r.chance(0.7) ? `ESP_LOGI(TAG, ${lit(msg + ' %d')}, ${v});` : `printf(${lit(msg + ': %d\n')}, ${v});`),
      ifOpen: (c) => `if (${c}) {`,
      elseOpen: '} else {',
      forOpen: (i, n) => `for (int ${i} = 0; ${i} < ${n}; ${i}++) {`,
      whileOpen: (c) => `while (${c}) {`,
      ret: (v) => `return ${v};`,
      comment: (t) => `/* ${t} */`,
      and: '&&',
      fnOpen: (name, ps) => `static int ${name}(${ps.map((p) => `int ${p}`).join(', ')})`,
      switchBlock: true,
    },
    cpp: {
      ...C_LIKE,
      lang: 'cpp',
      snake: true,
      decl: (n, v) => (r.chance(0.3) ? `auto ${n} = ${v};` : `int ${n} = ${v};`),
      strDecl: (n, s) => `std::string ${n} = ${lit(s)};`,
      boolDecl: (n, v) => `bool ${n} = ${v};`,
      assign: (n, v) => `${n} = ${v};`,
      call: (f, args) => `${f}(${args.join(', ')});`,
      log: (msg, v) => `std::cout << ${lit(msg + ' ')} << ${v} << std::endl;`,
      ifOpen: (c) => `if (${c}) {`,
      elseOpen: '} else {',
      forOpen: (i, n) => `for (int ${i} = 0; ${i} < ${n}; ++${i}) {`,
      whileOpen: (c) => `while (${c}) {`,
      ret: (v) => `return ${v};`,
      comment: (t) => `// ${t}`,
      and: '&&',
      fnOpen: (name, ps) => `int ${name}(${ps.map((p) => `int ${p}`).join(', ')})`,
      switchBlock: true,
      tryBlock: (body, ind) => [
        'try {',
        ...body.map((l) => ind + l),
        '} catch (const std::exception &ex) {',
        `${ind}std::cerr << ex.what() << std::endl;`,
        '}',
      ],
    },
    java: {
      ...C_LIKE,
      lang: 'java',
      decl: (n, v) => `int ${n} = ${v};`,
      strDecl: (n, s) => `String ${n} = ${lit(s)};`,
      boolDecl: (n, v) => `boolean ${n} = ${v};`,
      assign: (n, v) => `${n} = ${v};`,
      call: (f, args) => `${f}(${args.join(', ')});`,
      log: (msg, v) => (r.chance(0.6) ? `LOG.info(${lit(msg + ' {}')}, ${v});` : `System.out.println(${lit(msg + ' ')} + ${v});`),
      ifOpen: (c) => `if (${c}) {`,
      elseOpen: '} else {',
      forOpen: (i, n) => `for (int ${i} = 0; ${i} < ${n}; ${i}++) {`,
      whileOpen: (c) => `while (${c}) {`,
      ret: (v) => `return ${v};`,
      comment: (t) => `// ${t}`,
      and: '&&',
      fnOpen: (name, ps) => `${r.pick(['private', 'public', 'protected'])} int ${name}(${ps.map((p) => `int ${p}`).join(', ')})`,
      switchBlock: true,
      tryBlock: (body, ind) => [
        'try {',
        ...body.map((l) => ind + l),
        '} catch (IllegalStateException ex) {',
        `${ind}LOG.warn("recovering", ex);`,
        '}',
      ],
    },
    kotlin: {
      ...C_LIKE,
      lang: 'kotlin',
      decl: (n, v) => `var ${n} = ${v}`,
      strDecl: (n, s) => `val ${n} = ${lit(s)}`,
      boolDecl: (n, v) => `val ${n} = ${v}`,
      assign: (n, v) => `${n} = ${v}`,
      call: (f, args) => `${f}(${args.join(', ')})`,
      log: (msg, v) => (r.chance(0.5) ? `println("${msg} \${${v}}")` : `log.info(${lit(msg + ' {}')}, ${v})`),
      ifOpen: (c) => `if (${c}) {`,
      elseOpen: '} else {',
      forOpen: (i, n) => `for (${i} in 0 until ${n}) {`,
      whileOpen: (c) => `while (${c}) {`,
      ret: (v) => `return ${v}`,
      comment: (t) => `// ${t}`,
      and: '&&',
      fnOpen: (name, ps) => `${r.chance(0.3) ? 'private ' : ''}fun ${name}(${ps.map((p) => `${p}: Int`).join(', ')}): Int`,
      whenBlock: true,
      tryBlock: (body, ind) => [
        'try {',
        ...body.map((l) => ind + l),
        '} catch (ex: IllegalStateException) {',
        `${ind}log.warn("recovering", ex)`,
        '}',
      ],
    },
    ts: {
      ...C_LIKE,
      lang: 'ts',
      indent: '  ',
      decl: (n, v) => `let ${n}: number = ${v};`,
      strDecl: (n, s) => `const ${n}: string = ${sq(s)};`,
      boolDecl: (n, v) => `const ${n}: boolean = ${v};`,
      assign: (n, v) => `${n} = ${v};`,
      call: (f, args) => `${f}(${args.join(', ')});`,
      log: (msg, v) => (r.chance(0.5) ? `console.log(\`${msg} \${${v}}\`);` : `logger.info(${sq(msg)}, ${v});`),
      ifOpen: (c) => `if (${c}) {`,
      elseOpen: '} else {',
      forOpen: (i, n) => `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      whileOpen: (c) => `while (${c}) {`,
      ret: (v) => `return ${v};`,
      comment: (t) => `// ${t}`,
      and: '&&',
      fnOpen: (name, ps) => `${r.chance(0.4) ? 'export ' : ''}function ${name}(${ps.map((p) => `${p}: number`).join(', ')}): number`,
      switchBlock: true,
      tryBlock: (body, ind) => ['try {', ...body.map((l) => ind + l), '} catch (err) {', `${ind}logger.warn('recovering', err);`, '}'],
    },
    js: {
      ...C_LIKE,
      lang: 'js',
      indent: '  ',
      decl: (n, v) => `let ${n} = ${v};`,
      strDecl: (n, s) => `const ${n} = ${sq(s)};`,
      boolDecl: (n, v) => `const ${n} = ${v};`,
      assign: (n, v) => `${n} = ${v};`,
      call: (f, args) => `${f}(${args.join(', ')});`,
      log: (msg, v) => `console.log(${sq(msg)}, ${v});`,
      ifOpen: (c) => `if (${c}) {`,
      elseOpen: '} else {',
      forOpen: (i, n) => `for (let ${i} = 0; ${i} < ${n}; ${i}++) {`,
      whileOpen: (c) => `while (${c}) {`,
      ret: (v) => `return ${v};`,
      comment: (t) => `// ${t}`,
      and: '&&',
      fnOpen: (name, ps) => `${r.chance(0.3) ? 'export ' : ''}function ${name}(${ps.join(', ')})`,
      switchBlock: true,
      tryBlock: (body, ind) => ['try {', ...body.map((l) => ind + l), '} catch (err) {', `${ind}console.error(err);`, '}'],
    },
    python: {
      lang: 'python',
      indent: '    ',
      snake: true,
      python: true,
      decl: (n, v) => `${n} = ${v}`,
      strDecl: (n, s) => `${n} = ${lit(s)}`,
      boolDecl: (n, v) => `${n} = ${v}`,
      assign: (n, v) => `${n} = ${v}`,
      call: (f, args) => `${f}(${args.join(', ')})`,
      log: (msg, v) => (r.chance(0.6) ? `log.info(${lit(msg + ' %d')}, ${v})` : `print(f"${msg} {${v}}")`),
      ifOpen: (c) => `if ${c}:`,
      elseOpen: 'else:',
      forOpen: (i, n) => `for ${i} in range(${n}):`,
      whileOpen: (c) => `while ${c}:`,
      ret: (v) => `return ${v}`,
      comment: (t) => `# ${t}`,
      and: 'and',
      fnOpen: (name, ps) => `def ${name}(${ps.join(', ')}):`,
      tryBlock: (body, ind) => [
        'try:',
        ...body.map((l) => ind + l),
        'except ValueError as exc:',
        `${ind}log.warning("recovering: %s", exc)`,
      ],
    },
  };
}

// ---------------------------------------------------------------- weaknesses and safe look-alikes

function secretFor(r) {
  return r.pick([
    () => `${cap(r.pick(NOUNS))}${r.int(10, 99)}!${cap(r.pick(ADJS))}`,
    () => `${cap(r.pick(HOST_A))}#${r.alnum(6)}${r.int(100, 999)}`,
    () => `tok_${r.hex(32)}`,
    () => `${r.alnum(8)}-${r.alnum(8)}`,
  ])();
}
const hostFor = (r) => `${r.pick(HOST_A)}${r.int(1, 40)}.${r.pick(HOST_B)}`;

// Each entry: (r, d) => lines (relative indentation) placed as statements inside a function body.
const WEAK_STMTS = {
  c: [
    () => ['mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_NONE);'],
    () => ['unsigned char digest[16];', 'mbedtls_md5(buf, sizeof(buf), digest);'],
    () => ['unsigned char hash[20];', 'mbedtls_sha1(image, image_len, hash);'],
    () => ['SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);'],
    () => ['curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);'],
    (r) => [`const char *password = "${secretFor(r)}";`, 'login_user("service", password);'],
    (r) => [
      'wifi_config_t wc = {',
      `    .sta = { .ssid = "${cap(r.pick(HOST_A))}-Net", .password = "${secretFor(r)}" },`,
      '};',
      'esp_wifi_set_config(WIFI_IF_STA, &wc);',
    ],
    (r) => [`esp_http_client_config_t hc = { .url = "http://${hostFor(r)}/api/${r.pick(NOUNS)}" };`, 'esp_http_client_init(&hc);'],
    (r) => [`esp_mqtt_client_config_t mc = { .broker.address.uri = "mqtt://${hostFor(r)}:1883" };`, 'esp_mqtt_client_init(&mc);'],
  ],
  cpp: [
    () => ['SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);'],
    () => ['EVP_DigestInit_ex(mdctx, EVP_md5(), nullptr);'],
    () => ['MD5_Update(&md5ctx, data.data(), data.size());'],
    (r) => [`std::string api_key = "${secretFor(r)}";`, 'client.set_header("X-Api-Key", api_key);'],
    (r) => [`std::string endpoint = "http://${hostFor(r)}/v1/${r.pick(NOUNS)}";`, 'client.post(endpoint, body);'],
    () => ['curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);'],
  ],
  python: [
    () => ['resp = requests.get(url, verify=False, timeout=10)', 'resp.raise_for_status()'],
    () => ['digest = hashlib.md5(payload).hexdigest()'],
    () => ['fingerprint = hashlib.sha1(image).hexdigest()'],
    (r) => [`password = "${secretFor(r)}"`, 'session.auth = ("service", password)'],
    () => ['ctx = ssl._create_unverified_context()'],
    (r) => [`endpoint = "http://${hostFor(r)}/api/v1/${r.pick(NOUNS)}"`, 'requests.post(endpoint, json=body, timeout=10)'],
    (r) => [`requests.post(url, auth=("admin", "${secretFor(r)}"), timeout=10)`],
  ],
  java: [
    () => ['MessageDigest md = MessageDigest.getInstance("MD5");'],
    () => ['MessageDigest sha = MessageDigest.getInstance("SHA-1");'],
    (r) => [`String password = "${secretFor(r)}";`, 'connector.login("service", password);'],
    (r) => [`URL endpoint = new URL("http://${hostFor(r)}/status");`],
    () => ['conn.setHostnameVerifier((host, sslSession) -> true);'],
  ],
  kotlin: [
    () => ['val md = MessageDigest.getInstance("MD5")'],
    () => ['val sha = MessageDigest.getInstance("SHA-1")'],
    (r) => [`val apiKey = "${secretFor(r)}"`, 'client.authorize(apiKey)'],
    (r) => [`val endpoint = URL("http://${hostFor(r)}/status")`],
    () => ['builder.hostnameVerifier { _, _ -> true }'],
  ],
  ts: [
    () => ["const legacyDigest = createHash('md5').update(payload).digest('hex');"],
    () => ['const insecureAgent = new https.Agent({ rejectUnauthorized: false });'],
    (r) => [`const apiToken = '${secretFor(r)}';`, 'headers.authorization = `Bearer ${apiToken}`;'],
    (r) => [`const endpoint = 'http://${hostFor(r)}/api/${r.pick(NOUNS)}';`, 'void fetch(endpoint);'],
    (r) => [`const socket = new WebSocket('ws://${hostFor(r)}:8080/live');`],
    () => ["process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';"],
  ],
  js: [
    () => ["const legacyDigest = crypto.createHash('sha1').update(payload).digest('hex');"],
    () => ['const insecureAgent = new https.Agent({ rejectUnauthorized: false });'],
    (r) => [`const password = '${secretFor(r)}';`, 'client.login(user, password);'],
    (r) => [`const endpoint = 'http://${hostFor(r)}/api/${r.pick(NOUNS)}';`, 'fetch(endpoint);'],
  ],
};

const SAFE_STMTS = {
  c: [
    () => ['mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_REQUIRED);'],
    () => ['unsigned char digest[32];', 'mbedtls_sha256(buf, sizeof(buf), digest, 0);'],
    () => ['size_t password_len = sizeof(password);', 'nvs_get_str(nvs, "wifi_pass", password, &password_len);'],
    (r) => [`esp_http_client_config_t hc = { .url = "https://${hostFor(r)}/api", .cert_pem = ca_pem };`],
    () => ['/* protocol notes: http://www.w3.org/Protocols/ */', 'const char *pw_prompt = "Password:";'],
  ],
  cpp: [
    () => ['SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);'],
    () => ['EVP_DigestInit_ex(mdctx, EVP_sha256(), nullptr);'],
    () => ['std::string api_key = std::getenv("PUMP_API_KEY");'],
    () => ['std::string local = "http://127.0.0.1:8080/health";'],
  ],
  python: [
    () => ['resp = requests.get(url, verify=CA_BUNDLE, timeout=10)'],
    () => ['digest = hashlib.sha256(payload).hexdigest()'],
    () => ['key = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()'],
    () => ['password = os.environ["PUMP_PASSWORD"]'],
    () => ['local = "http://localhost:8000/health"'],
  ],
  java: [
    () => ['MessageDigest md = MessageDigest.getInstance("SHA-256");'],
    () => ['String password = System.getenv("PUMP_PASSWORD");'],
    () => ['String ns = "http://www.w3.org/2001/XMLSchema-instance";'],
  ],
  kotlin: [
    () => ['val md = MessageDigest.getInstance("SHA-256")'],
    () => ['val apiKey = System.getenv("API_KEY") ?: ""'],
    (r) => [`val endpoint = URL("https://${hostFor(r)}/status")`],
  ],
  ts: [
    () => ["const digest = createHash('sha256').update(payload).digest('hex');"],
    () => ["const apiToken = process.env.API_TOKEN ?? '';"],
    () => ['const agent = new https.Agent({ rejectUnauthorized: true, ca: caBundle });'],
    () => ["const dev = 'http://localhost:3000/api';"],
  ],
  js: [
    () => ["const digest = crypto.createHash('sha256').update(payload).digest('hex');"],
    () => ['const password = process.env.PUMP_PASSWORD;'],
  ],
};

// ---------------------------------------------------------------- code generation

class FileGen {
  constructor(r, d, budget) {
    this.r = r;
    this.d = d;
    this.budget = budget;
    this.seq = 0;
    this.helpers = [];
  }

  name(kind = 'fn') {
    const r = this.r;
    const v = r.pick(VERBS),
      n = r.pick(NOUNS),
      a = r.pick(ADJS);
    this.seq++;
    if (kind === 'type') return `${cap(a)}${cap(n)}${this.seq}`;
    if (kind === 'var') return this.d.snake ? `${a}_${n}${this.seq}` : `${a}${cap(n)}${this.seq}`;
    return this.d.snake ? `${v}_${n}_${this.seq}` : `${v}${cap(n)}${this.seq}`;
  }

  expr(vars) {
    const r = this.r;
    const v = () => (vars.length && r.chance(0.8) ? r.pick(vars) : String(r.int(1, 500)));
    switch (r.int(0, 4)) {
      case 0:
        return `${v()} + ${r.int(1, 64)}`;
      case 1:
        return `(${v()} * ${r.int(2, 9)}) % ${r.int(7, 997)}`;
      case 2:
        return `${v()} - ${v()}`;
      case 3: {
        if (!this.helpers.length) return v();
        const h = r.pick(this.helpers);
        return `${h.name}(${this.args(vars, h.arity)})`;
      }
      default:
        return v();
    }
  }

  args(vars, n) {
    const out = [];
    for (let i = 0; i < n; i++) out.push(vars.length ? this.r.pick(vars) : String(this.r.int(0, 9)));
    return out.join(', ');
  }

  cond(vars) {
    const r = this.r;
    const base = `${this.expr(vars)} ${r.pick(['>', '<', '>=', '<=', '!=', '=='])} ${r.int(0, 300)}`;
    return r.chance(0.2) && vars.length ? `${base} ${this.d.and} ${r.pick(vars)} > 0` : base;
  }

  indentAll(lines, ind = this.d.indent) {
    return lines.map((l) => (l === '' ? l : ind + l));
  }

  block(open, body, close) {
    const lines = [open, ...this.indentAll(body)];
    if (close) lines.push(close);
    return lines;
  }

  // A block whose lines are all comments is not valid Python (and looks odd elsewhere).
  nonEmpty(lines) {
    const c = this.d.python ? '#' : '/';
    if (lines.every((l) => l.trimStart().startsWith(c))) lines.push(this.d.python ? 'pass' : this.d.call('noop', []));
    return lines;
  }

  stmts(vars, depth, count) {
    const out = [];
    for (let i = 0; i < count; i++) out.push(...this.stmt(vars, depth));
    return out;
  }

  stmt(vars, depth) {
    const { r, d } = this;
    const k = r.int(0, depth >= 2 ? 5 : 10);
    const body = (n) => this.nonEmpty(this.stmts(vars.slice(), depth + 1, n));
    switch (k) {
      case 0:
      case 1: {
        const n = this.name('var');
        vars.push(n);
        return [d.decl(n, this.expr(vars.slice(0, -1)))];
      }
      case 2:
        return vars.length ? [d.assign(r.pick(vars), this.expr(vars))] : [d.log(r.pick(PHRASES), r.int(0, 9))];
      case 3:
        return [d.log(r.pick(PHRASES), vars.length ? r.pick(vars) : '0')];
      case 4: {
        if (r.chance(0.5)) return [d.strDecl(this.name('var'), `${r.pick(PHRASES)} (${r.pick(NOUNS)} ${r.int(1, 99)})`)];
        const callee =
          this.helpers.length && r.chance(0.6)
            ? r.pick(this.helpers)
            : {
                name: `${r.pick(VERBS)}${d.snake ? '_' : ''}${d.snake ? r.pick(NOUNS) : cap(r.pick(NOUNS))}`,
                arity: r.int(0, 3),
              };
        return [d.call(callee.name, this.args(vars, callee.arity).split(', ').filter(Boolean))];
      }
      case 5:
        return [d.comment(`${r.pick(VERBS)} ${r.pick(ADJS)} ${r.pick(NOUNS)} before ${r.pick(NOUNS)} ${r.pick(VERBS)}`)];
      case 6: {
        return this.block(d.forOpen(`i${depth}`, r.int(2, 64)), body(r.int(1, 3)), d.python ? null : d.close);
      }
      case 7: {
        const lines = this.block(d.ifOpen(this.cond(vars)), body(r.int(1, 3)), null);
        if (r.chance(0.4)) lines.push(d.elseOpen, ...this.indentAll(body(r.int(1, 2))));
        if (!d.python) lines.push(d.close);
        return lines;
      }
      case 8: {
        if (!vars.length) return [d.log(r.pick(PHRASES), '0')];
        const v = r.pick(vars);
        const guard = d.python ? `while ${v} > ${r.int(100, 900)}:` : d.whileOpen(`${v} > ${r.int(100, 900)}`);
        const dec = d.assign(v, `${v} - ${r.int(3, 40)}`);
        return this.block(guard, [dec, ...body(r.int(0, 1))], d.python ? null : d.close);
      }
      case 9:
        return this.switchStmt(vars, depth);
      default: {
        if (!d.tryBlock) return [d.log(r.pick(PHRASES), vars.length ? r.pick(vars) : '1')];
        return d.tryBlock(body(r.int(1, 3)), d.indent);
      }
    }
  }

  switchStmt(vars, depth) {
    const { r, d } = this;
    const v = vars.length ? r.pick(vars) : String(r.int(0, 9));
    const n = r.int(2, 4);
    const caseBody = () => this.nonEmpty(this.stmts(vars.slice(), depth + 1, r.int(1, 2)));
    if (d.switchBlock) {
      const lines = [`switch (${v} % ${n + 1}) {`];
      for (let c = 0; c < n; c++) lines.push(`case ${c}: {`, ...this.indentAll([...caseBody(), 'break;']), '}');
      lines.push('default:', ...this.indentAll(['break;']), '}');
      return lines;
    }
    if (d.whenBlock) {
      const lines = [`when (${v} % ${n + 1}) {`];
      for (let c = 0; c < n; c++) lines.push(...this.indentAll([`${c} -> {`, ...this.indentAll(caseBody()), '}']));
      lines.push(...this.indentAll(['else -> {}']), '}');
      return lines;
    }
    // python: if / elif / else
    const lines = [];
    for (let c = 0; c < n; c++) {
      lines.push(`${c === 0 ? 'if' : 'elif'} ${v} % ${n + 1} == ${c}:`, ...this.indentAll(caseBody()));
    }
    lines.push('else:', ...this.indentAll(['pass']));
    return lines;
  }

  func(extra, { method = false } = {}) {
    const { r, d } = this;
    const name = this.name();
    const arity = r.int(1, 3);
    const params = [];
    for (let i = 0; i < arity; i++) params.push(this.name('var'));
    const ps = method && d.python ? ['self', ...params] : params;
    const vars = params.slice();
    // Statements are kept as separate line groups so a planted snippet lands between statements.
    const groups = [];
    if (d.lang === 'c') groups.push([`char buf[${r.pick([32, 64, 128, 256])}];`, 'memset(buf, 0, sizeof(buf));']);
    for (let i = r.int(3, 9); i > 0; i--) groups.push(this.stmt(vars, 0));
    if (extra) groups.splice(r.int(1, groups.length), 0, extra);
    groups.push([d.ret(this.expr(vars))]);
    const body = groups.flat();
    const open = d.fnOpen(name, ps);
    const lines = d.python ? [open, ...this.indentAll(body)] : [open + ' {', ...this.indentAll(body), '}'];
    this.helpers.push({ name, arity });
    return lines;
  }
}

// ---------------------------------------------------------------- per-language file layouts

function header(lang, r, modName) {
  switch (lang) {
    case 'c':
      return [
        `/* ${modName}.c: ${r.pick(PHRASES)} handling for the infusion controller. */`,
        '#include <stdbool.h>',
        '#include <stdint.h>',
        '#include <stdio.h>',
        '#include <string.h>',
        '#include "esp_log.h"',
        '#include "mbedtls/ssl.h"',
        '#include "mbedtls/md5.h"',
        '#include "mbedtls/sha256.h"',
        '',
        `static const char *TAG = "${modName}";`,
        '',
        `#define ${modName.toUpperCase()}_MAX ${r.int(8, 512)}`,
        `#define ${modName.toUpperCase()}_PERIOD_MS ${r.int(10, 5000)}`,
        '',
      ];
    case 'cpp':
      return [
        `// ${modName}.cpp: ${r.pick(PHRASES)} handling for the infusion controller.`,
        '#include <cstdint>',
        '#include <cstdlib>',
        '#include <iostream>',
        '#include <string>',
        '#include <vector>',
        '#include <openssl/evp.h>',
        '#include <openssl/ssl.h>',
        '',
        `namespace ${modName} {`,
        '',
      ];
    case 'python':
      return [
        `"""${modName}: ${r.pick(PHRASES)} handling for the infusion fleet tools."""`,
        'import hashlib',
        'import logging',
        'import os',
        'import ssl',
        '',
        'import requests',
        '',
        `log = logging.getLogger("${modName}")`,
        'CA_BUNDLE = "/etc/pki/ca-bundle.pem"',
        '',
      ];
    case 'java':
      return [
        `package com.infusion.${modName};`,
        '',
        'import java.net.URL;',
        'import java.security.MessageDigest;',
        'import java.security.cert.X509Certificate;',
        'import javax.net.ssl.X509TrustManager;',
        'import org.slf4j.Logger;',
        'import org.slf4j.LoggerFactory;',
        '',
        `public class ${cap(modName.replace(/_(\w)/g, (_, c) => c.toUpperCase()))} {`,
        `    private static final Logger LOG = LoggerFactory.getLogger("${modName}");`,
        '',
      ];
    case 'kotlin':
      return [
        `package com.infusion.${modName}`,
        '',
        'import java.net.URL',
        'import java.security.MessageDigest',
        'import org.slf4j.LoggerFactory',
        '',
        `private val log = LoggerFactory.getLogger("${modName}")`,
        '',
      ];
    case 'ts':
      return [
        `// ${modName}.ts: ${r.pick(PHRASES)} handling for the fleet companion.`,
        "import { createHash } from 'node:crypto';",
        "import https from 'node:https';",
        "import { logger } from './logger';",
        '',
        'declare const payload: Buffer;',
        'declare const caBundle: Buffer;',
        'declare const headers: Record<string, string>;',
        'declare function noop(): void;',
        '',
      ];
    case 'js':
      return [
        `// ${modName}.js: ${r.pick(PHRASES)} handling for the fleet companion.`,
        "import crypto from 'node:crypto';",
        "import https from 'node:https';",
        '',
        'function noop() {}',
        '',
      ];
    default:
      throw new Error(lang);
  }
}

function footer(lang) {
  if (lang === 'cpp') return ['', '}  // namespace'];
  if (lang === 'java') return ['}'];
  return [];
}

function typeUnit(lang, g) {
  const { r } = g;
  const tname = g.name('type');
  const nf = r.int(2, 6);
  const fields = [];
  for (let i = 0; i < nf; i++) fields.push(g.name('var'));
  switch (lang) {
    case 'c':
      if (r.chance(0.3)) {
        return [
          'typedef enum {',
          ...fields.map((f, i) => `    ${tname.toUpperCase()}_${f.toUpperCase()} = ${i},`),
          `} ${tname.toLowerCase()}_t;`,
        ];
      }
      if (r.chance(0.3)) {
        return [`static const uint16_t ${tname.toLowerCase()}_table[] = {`, `    ${fields.map(() => r.int(0, 65535)).join(', ')},`, '};'];
      }
      return [
        'typedef struct {',
        ...fields.map((f) => `    ${r.pick(['uint32_t', 'int16_t', 'uint8_t', 'bool', 'float'])} ${f};`),
        `} ${tname.toLowerCase()}_t;`,
      ];
    case 'cpp': {
      const lines = [`class ${tname} {`, ' public:', `    explicit ${tname}(int seed) : ${fields[0]}_(seed) {}`];
      for (let i = 0; i < r.int(1, 2); i++) lines.push(...g.indentAll(g.func(null, { method: true })));
      lines.push('', ' private:', ...fields.map((f) => `    int ${f}_ = 0;`), '};');
      return lines;
    }
    case 'python': {
      const lines = [
        `class ${tname}:`,
        `    """${r.pick(PHRASES)}."""`,
        '',
        `    def __init__(self, ${fields.join(', ')}):`,
        ...fields.map((f) => `        self.${f} = ${f}`),
      ];
      for (let i = 0; i < r.int(1, 3); i++) lines.push('', ...g.indentAll(g.func(null, { method: true })));
      return lines;
    }
    case 'java': {
      const lines = [`static final class ${tname} {`, ...fields.map((f) => `    private int ${f};`), ''];
      for (let i = 0; i < r.int(1, 2); i++) lines.push(...g.indentAll(g.func(null, { method: true })), '');
      lines.push('}');
      return lines;
    }
    case 'kotlin':
      if (r.chance(0.4)) return [`data class ${tname}(`, ...fields.map((f) => `    val ${f}: Int,`), ')'];
      return [`class ${tname}(private val ${fields[0]}: Int) {`, ...g.indentAll(g.func(null, { method: true })), '}'];
    case 'ts':
      if (r.chance(0.5)) {
        return [`export interface ${tname} {`, ...fields.map((f) => `  ${f}: ${r.pick(['number', 'string', 'boolean'])};`), '}'];
      }
      return [
        `export class ${tname} {`,
        `  private ${fields[0]} = 0;`,
        '',
        ...g.indentAll(g.func(null, { method: true }).map((l, i) => (i === 0 ? l.replace(/^(export )?function /, '') : l))),
        '}',
      ];
    case 'js':
      return [
        `export class ${tname} {`,
        `  constructor(${fields[0]}) {`,
        `    this.${fields[0]} = ${fields[0]};`,
        '  }',
        '',
        ...g.indentAll(g.func(null, { method: true }).map((l, i) => (i === 0 ? l.replace(/^(export )?function /, '') : l))),
        '}',
      ];
    default:
      return [];
  }
}

// Whole-unit weaknesses (and their safe twins) that do not fit into one statement.
function weakUnit(lang, g, weak) {
  const n = g.name();
  if (lang === 'c') {
    return [
      `static esp_err_t ${n}(const uint8_t *image, size_t len)`,
      '{',
      '    const esp_partition_t *part = esp_ota_get_next_update_partition(NULL);',
      '    esp_ota_handle_t handle;',
      '    esp_err_t err = esp_ota_begin(part, len, &handle);',
      '    if (err == ESP_OK) {',
      '        err = esp_ota_write(handle, image, len);',
      '    }',
      '    if (err == ESP_OK) {',
      '        err = esp_ota_end(handle);',
      '    }',
      ...(weak ? [] : ['    if (err == ESP_OK) {', '        err = verify_image_signature(part, len);', '    }']),
      '    if (err != ESP_OK) {',
      '        return err;',
      '    }',
      '    return esp_ota_set_boot_partition(part);',
      '}',
    ];
  }
  if (lang === 'java') {
    const t = g.name('type');
    return weak
      ? [
          `static final class ${t} implements X509TrustManager {`,
          '    @Override',
          '    public void checkClientTrusted(X509Certificate[] chain, String authType) {}',
          '    @Override',
          '    public void checkServerTrusted(X509Certificate[] chain, String authType) {}',
          '    @Override',
          '    public X509Certificate[] getAcceptedIssuers() {',
          '        return new X509Certificate[0];',
          '    }',
          '}',
        ]
      : [
          `static final class ${t} implements X509TrustManager {`,
          '    private final X509TrustManager delegate;',
          '',
          `    ${t}(X509TrustManager delegate) {`,
          '        this.delegate = delegate;',
          '    }',
          '',
          '    @Override',
          '    public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {',
          '        delegate.checkClientTrusted(chain, authType);',
          '    }',
          '    @Override',
          '    public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {',
          '        delegate.checkServerTrusted(chain, authType);',
          '    }',
          '    @Override',
          '    public X509Certificate[] getAcceptedIssuers() {',
          '        return delegate.getAcceptedIssuers();',
          '    }',
          '}',
        ];
  }
  return null;
}

function genSourceFile(lang, r, d, modName, target, state) {
  const g = new FileGen(r, d, target);
  const lines = header(lang, r, modName);
  const foot = footer(lang);
  const inClass = lang === 'java';
  let weak = 0;
  while (lines.length + foot.length < target) {
    let extra = null;
    let unit = null;
    if (state.emitted + lines.length >= state.nextWeak) {
      state.nextWeak += r.int(WEAK_EVERY - 120, WEAK_EVERY + 120);
      weak++;
      unit = r.chance(0.12) ? weakUnit(lang, g, true) : null;
      if (!unit) extra = r.pick(WEAK_STMTS[lang])(r);
    } else if (state.emitted + lines.length >= state.nextSafe) {
      state.nextSafe += r.int(WEAK_EVERY - 120, WEAK_EVERY + 120);
      unit = r.chance(0.12) ? weakUnit(lang, g, false) : null;
      if (!unit) extra = r.pick(SAFE_STMTS[lang])(r);
    }
    if (!unit) unit = !extra && r.chance(0.18) ? typeUnit(lang, g) : g.func(extra);
    if (inClass) unit = g.indentAll(unit);
    lines.push(...unit, '');
    if (lang === 'python') lines.push('');
  }
  lines.push(...foot);
  state.emitted += lines.length;
  return { text: lines.join('\n') + '\n', lines: lines.length, weak };
}

function genSdkconfig(r, idx) {
  const lines = [
    '#',
    '# Automatically generated file. DO NOT EDIT.',
    '# Espressif IoT Development Framework (ESP-IDF) Project Configuration',
    '#',
  ];
  const keys = [
    'BOOTLOADER_LOG_LEVEL',
    'ESPTOOLPY_FLASHFREQ',
    'FREERTOS_HZ',
    'LOG_DEFAULT_LEVEL',
    'ESP_MAIN_TASK_STACK_SIZE',
    'LWIP_MAX_SOCKETS',
    'MBEDTLS_SSL_MAX_CONTENT_LEN',
    'BT_NIMBLE_MAX_CONNECTIONS',
    'ESP_WIFI_STATIC_RX_BUFFER_NUM',
  ];
  let weak = 0;
  for (let i = 0; i < 120; i++) {
    const k = `${r.pick(keys)}_${r.pick(NOUNS).toUpperCase()}${i}`;
    lines.push(r.chance(0.2) ? `# CONFIG_${k} is not set` : `CONFIG_${k}=${r.chance(0.5) ? 'y' : r.int(1, 4096)}`);
    if (i % 40 === 20) {
      lines.push(idx % 2 === 0 ? `CONFIG_ESP_WIFI_PASSWORD="${secretFor(r)}"` : 'CONFIG_ESP_WIFI_PASSWORD=""');
      if (idx % 2 === 0) weak++;
    }
  }
  lines.push(idx % 2 === 0 ? '# CONFIG_SECURE_BOOT is not set' : 'CONFIG_SECURE_BOOT=y');
  return { text: lines.join('\n') + '\n', lines: lines.length, weak };
}

function genEnv(r, idx) {
  const lines = [`# ${r.pick(PHRASES)} service settings`];
  let weak = 0;
  for (let i = 0; i < 30; i++) {
    const k = `${r.pick(ADJS).toUpperCase()}_${r.pick(NOUNS).toUpperCase()}_${r.pick(['URL', 'HOST', 'PORT', 'LEVEL', 'SIZE'])}`;
    lines.push(`${k}=${k.endsWith('URL') ? `https://${hostFor(r)}/api` : r.int(1, 9000)}`);
    if (i % 10 === 5) {
      if (idx % 2 === 0) {
        lines.push(`API_TOKEN_${i}=tok_${r.hex(32)}`);
        weak++;
      } else lines.push(`API_TOKEN_${i}=`);
    }
  }
  return { text: lines.join('\n') + '\n', lines: lines.length, weak };
}

// ---------------------------------------------------------------- main

function prepareOut(out, force) {
  if (existsSync(out)) {
    const entries = readdirSync(out);
    if (entries.length && !entries.includes(MARKER) && !force) {
      throw new Error(`${out} is not empty and was not made by gen-corpus (use --force to overwrite)`);
    }
    rmSync(out, { recursive: true, force: true });
  }
  mkdirSync(out, { recursive: true });
}

function main() {
  const t0 = process.hrtime.bigint();
  const opts = parseArgs(process.argv.slice(2));
  const out = resolve(opts.out);
  prepareOut(out, opts.force);
  const r = makeRng(opts.seed);
  const dialects = makeDialects(r);
  const summary = {};
  const state = { emitted: 0, nextWeak: r.int(100, WEAK_EVERY), nextSafe: r.int(100, WEAK_EVERY) };
  const langs = Object.keys(LANG_SHARE);
  let assigned = 0;

  for (const [li, lang] of langs.entries()) {
    const target = li === langs.length - 1 ? opts.lines - assigned : Math.round(opts.lines * LANG_SHARE[lang]);
    assigned += target;
    const s = (summary[lang] = { files: 0, lines: 0, weak: 0 });
    let remaining = target;
    while (remaining > 0) {
      let size = Math.min(r.int(MIN_FILE, MAX_FILE), remaining);
      if (remaining - size < MIN_FILE && remaining <= MAX_FILE) size = remaining;
      const dir = join(out, lang, `pkg${String(Math.floor(s.files / FILES_PER_DIR)).padStart(2, '0')}`);
      if (s.files % FILES_PER_DIR === 0) mkdirSync(dir, { recursive: true });
      const modName = `${r.pick(NOUNS)}_${r.pick(VERBS)}_${String(s.files).padStart(3, '0')}`;
      const f = genSourceFile(lang, r, dialects[lang], modName, Math.max(size, 40), state);
      writeFileSync(join(dir, `${modName}.${EXT[lang]}`), f.text);
      s.files++;
      s.lines += f.lines;
      s.weak += f.weak;
      remaining -= f.lines;
    }
  }

  const configs = Math.max(2, Math.round(opts.lines / 50000));
  const cfgDir = join(out, 'config');
  mkdirSync(cfgDir, { recursive: true });
  const cs = (summary.config = { files: 0, lines: 0, weak: 0 });
  for (let i = 0; i < configs; i++) {
    for (const [name, f] of [
      [`device${i}/sdkconfig`, genSdkconfig(r, i)],
      [`service${i}/.env`, genEnv(r, i)],
    ]) {
      mkdirSync(join(cfgDir, name, '..'), { recursive: true });
      writeFileSync(join(cfgDir, name), f.text);
      cs.files++;
      cs.lines += f.lines;
      cs.weak += f.weak;
    }
  }
  writeFileSync(join(out, MARKER), JSON.stringify({ lines: opts.lines, seed: opts.seed }) + '\n');

  const total = { files: 0, lines: 0, weak: 0 };
  console.log(`corpus written to ${out} (seed ${opts.seed})`);
  console.log('language     files     lines  planted');
  for (const [lang, s] of Object.entries(summary)) {
    total.files += s.files;
    total.lines += s.lines;
    total.weak += s.weak;
    console.log(`${lang.padEnd(10)} ${String(s.files).padStart(7)} ${String(s.lines).padStart(9)} ${String(s.weak).padStart(8)}`);
  }
  console.log(
    `${'total'.padEnd(10)} ${String(total.files).padStart(7)} ${String(total.lines).padStart(9)} ${String(total.weak).padStart(8)}`,
  );
  console.log(`done in ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(0)} ms`);
}

try {
  main();
} catch (err) {
  console.error(`gen-corpus: ${err.message}`);
  process.exit(1);
}
