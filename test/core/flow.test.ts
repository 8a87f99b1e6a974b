/**
 * The data-flow layer (server/src/core/flow): the cases the precision issue names, in each language, with the
 * near misses beside them.
 */
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../server/src/core/check';
import { buildValueFlow, type Origin, type ValueFlow } from '../../server/src/core/flow/value-flow';
import type { Call, CodeModel, Expr } from '../../server/src/core/model/types';
import type { LanguageId } from '../../server/src/core/types';

const EXT: Partial<Record<LanguageId, string>> = {
  c: 'c',
  cpp: 'cpp',
  python: 'py',
  java: 'java',
  kotlin: 'kt',
  typescript: 'ts',
  javascript: 'js',
};

async function analyse(
  language: LanguageId,
  code: string,
): Promise<{ model: CodeModel; flow: ValueFlow; call: (name: string, nth?: number) => Call }> {
  const parsed = await parseFile({ path: `/t/file.${EXT[language]}`, relativePath: `file.${EXT[language]}`, text: code, language });
  const { model } = parsed;
  const call = (name: string, nth = 0) => {
    const found = model.calls.filter((c) => c.name === name || c.callee === name)[nth];
    if (!found) throw new Error(`no call ${name} in ${model.calls.map((c) => c.callee).join(', ')}`);
    return found;
  };
  return { model, flow: buildValueFlow(model, code), call };
}

const literals = (origins: Origin[]) => origins.filter((o) => o.kind === 'literal').map((o) => (o as { expr: Expr }).expr.text);
const kinds = (origins: Origin[]) => origins.map((o) => (o.kind === 'source' ? `source:${o.source}` : o.kind));

describe('origins: a literal that reaches a credential parameter', () => {
  it('Java: through a local variable', async () => {
    const { flow, call } = await analyse(
      'java',
      `class Db {
  Connection open(String url) throws Exception {
    String pw = "s3cr3t!";
    return DriverManager.getConnection(url, "admin", pw);
  }
}`,
    );
    const origins = flow.origins(call('getConnection').args[2]);
    expect(literals(origins)).toEqual(['"s3cr3t!"']);
    expect(origins[0].steps.map((s) => s.label)).toEqual(['pw']);
  });

  it('C: through a #define and a copy into a buffer', async () => {
    const { flow, call } = await analyse(
      'c',
      `#define ADMIN_PW "ward7-admin"
void connect_broker(mqtt_client *client, const char *user) {
    char buf[32];
    strcpy(buf, ADMIN_PW);
    mqtt_connect(client, user, buf);
}`,
    );
    const origins = flow.origins(call('mqtt_connect').args[2]);
    expect(literals(origins)).toEqual(['"ward7-admin"']);
    expect(origins[0].steps.map((s) => s.label)).toEqual(['buf (strcpy)', 'ADMIN_PW']);
    expect(flow.constant(call('mqtt_connect').args[2])?.value).toBe('ward7-admin');
  });

  it('C: a buffer filled from NVS is not a literal', async () => {
    const { flow, call } = await analyse(
      'c',
      `void connect_broker(mqtt_client *client, nvs_handle_t h) {
    char buf[32];
    size_t len = sizeof(buf);
    nvs_get_str(h, "mqtt_pass", buf, &len);
    mqtt_connect(client, "pump", buf);
}`,
    );
    expect(literals(flow.origins(call('mqtt_connect').args[2]))).toEqual([]);
  });

  it('Python: through a helper parameter, to the call site that passes it', async () => {
    const { flow, call } = await analyse(
      'python',
      `import hashlib

def digest(secret, alg):
    return hashlib.new(alg, secret).hexdigest()

def sign(frame):
    return digest(frame, 'sha1')
`,
    );
    const origins = flow.origins(call('hashlib.new').args[0]);
    expect(literals(origins)).toEqual(["'sha1'"]);
    expect(origins[0].steps.map((s) => s.label)).toEqual(['alg (parameter of digest)']);
  });

  it('Kotlin: through a const val of an object', async () => {
    const { flow, call } = await analyse(
      'kotlin',
      `object Config { const val BROKER_PASSWORD = "infu-2291" }
fun connect(client: MqttClient) {
    val options = MqttConnectOptions()
    options.setPassword(Config.BROKER_PASSWORD.toCharArray())
}`,
    );
    expect(literals(flow.origins(call('setPassword').args[0]))).toEqual(['"infu-2291"']);
  });

  it('TypeScript: through a module constant and a template string', async () => {
    const { flow, call } = await analyse(
      'typescript',
      `const USER = 'svc';
const PASS = 'pump-cloud-99';
export function auth() {
  const header = \`Basic \${btoa(USER + ':' + PASS)}\`;
  return fetch('https://api.example.org', { headers: { Authorization: header } });
}`,
    );
    const header = call('fetch').args[1].entries![0].value.entries![0].value;
    expect(flow.constant(header)?.value).toBe(`Basic ${'svc:pump-cloud-99'}`);
  });
});

describe('origins: the receiver of getBytes is the value, never the charset', () => {
  it('Java: a key read from the environment', async () => {
    const { flow, call } = await analyse(
      'java',
      `class K {
  SecretKeySpec key() throws Exception {
    String k = System.getenv("DEVICE_KEY");
    return new SecretKeySpec(k.getBytes("UTF-8"), "AES");
  }
}`,
    );
    const origins = flow.origins(call('SecretKeySpec').args[0]);
    expect(kinds(origins)).toEqual(['source:environment']);
    expect(literals(origins)).toEqual([]);
  });

  it('Java: a literal key through getBytes', async () => {
    const { flow, call } = await analyse(
      'java',
      `class K {
  static final String KEY = "0123456789abcdef";
  SecretKeySpec key() throws Exception { return new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "AES"); }
}`,
    );
    expect(literals(flow.origins(call('SecretKeySpec').args[0]))).toEqual(['"0123456789abcdef"']);
  });
});

describe('uses: a PRNG value that reaches a cookie through two assignments', () => {
  it('Java', async () => {
    const { flow, call } = await analyse(
      'java',
      `class Session {
  void start(HttpServletResponse resp) {
    double r = new Random().nextDouble();
    String sid = Double.toString(r);
    resp.addCookie(new Cookie("session", sid));
  }
}`,
    );
    const uses = flow.uses(call('nextDouble'));
    const cookie = uses.find((u) => u.call.name === 'Cookie');
    expect(cookie?.slot).toBe(1);
    expect(cookie?.steps.map((s) => s.label)).toEqual(['r', 'sid']);
    expect(kinds(flow.origins(call('Cookie').args[1]))).toEqual(['source:prng']);
  });

  it('Python: random into a token through a helper return value', async () => {
    const { flow, call } = await analyse(
      'python',
      `import random

def make_token():
    n = random.getrandbits(64)
    return '%016x' % n

def pair(dev):
    dev.set_pairing_token(make_token())
`,
    );
    const uses = flow.uses(call('random.getrandbits'));
    expect(uses.map((u) => u.call.name)).toContain('set_pairing_token');
  });

  it('a PRNG value used only for a retry delay reaches no token', async () => {
    const { flow, call } = await analyse(
      'javascript',
      `function backoff(attempt) {
  const jitter = Math.random() * 100;
  setTimeout(retry, attempt * 1000 + jitter);
}`,
    );
    expect(flow.uses(call('Math.random')).map((u) => u.call.name)).toEqual(['setTimeout']);
  });
});

describe("uses: a C copy into a pointer parameter fills the caller's buffer", () => {
  it('C: snprintf into an out-parameter, then the caller hands the buffer on', async () => {
    const { flow, model } = await analyse(
      'c',
      `static void status_url(char *out, size_t len, const char *host) {
    snprintf(out, len, "http://%s/status", host);
}
static void poll(esp_http_client_handle_t client, const char *host) {
    char url[96];
    char other[96];
    esp_http_client_set_url(client, other);
    status_url(url, sizeof(url), host);
    esp_http_client_set_url(client, url);
}`,
    );
    const literal = model.strings.find((s) => s.value?.startsWith('http://'))!;
    const uses = flow.uses(literal).filter((u) => u.call.name === 'esp_http_client_set_url');
    expect(uses.map((u) => u.expr.text)).toEqual(['url']);
    expect(uses[0].steps.map((s) => s.label)).toEqual(['out (snprintf)', 'url (filled by status_url)']);
  });

  it('C: a copy into a local buffer does not leak into the callers', async () => {
    const { flow, model } = await analyse(
      'c',
      `static void log_url(char *out, const char *host) {
    char tmp[64];
    snprintf(tmp, sizeof(tmp), "http://%s/status", host);
    puts(tmp);
}
static void poll(const char *host) {
    char url[96];
    log_url(url, host);
    esp_http_client_set_url(0, url);
}`,
    );
    const literal = model.strings.find((s) => s.value?.startsWith('http://'))!;
    expect(flow.uses(literal).map((u) => u.call.name)).not.toContain('esp_http_client_set_url');
  });
});

describe('uses: a file-level variable set inside a function', () => {
  it('JavaScript: read by another function of the file', async () => {
    const { flow, model } = await analyse(
      'javascript',
      `let clockHost = '';
function useLabClock() {
  clockHost = 'http://192.168.86.24';
}
function authStatus() {
  return fetch(clockHost + '/api/auth/status');
}`,
    );
    const literal = model.strings.find((s) => s.value?.startsWith('http://'))!;
    expect(flow.uses(literal).map((u) => u.call.name)).toContain('fetch');
  });

  it("Python: a function's own variable of the same name stays local", async () => {
    const { flow, model } = await analyse(
      'python',
      `host = "https://gateway.clinic.lan"
def lab():
    host = "http://192.168.86.24"
    print(host)
def upload(data):
    requests.post(host, data=data)
`,
    );
    const literal = model.strings.find((s) => s.value?.startsWith('http://'))!;
    expect(flow.uses(literal).map((u) => u.call.name)).toEqual(['print']);
  });
});

describe('origins: a global declared without a value and set in another function', () => {
  it('C++: a token read from preferences in setup() and put into a URL in another function', async () => {
    const { flow, call } = await analyse(
      'cpp',
      `String nsToken;
void setup() {
  nsToken = prefs.getString("ns_token");
}
int fetchLatest() {
  http.begin(client, String("https://ns.example/api/v1/entries.json?token=") + nsToken);
  return http.GET();
}`,
    );
    expect(kinds(flow.origins(call('begin').args[1]))).toContain('source:preferences');
  });

  it('C: a key copied into a file-scope buffer in init() and sent from another function', async () => {
    const { flow, call } = await analyse(
      'c',
      `static char api_key[48];
static const char *device_id;
void app_init(void) {
    strcpy(api_key, "k3y-8f2a9c1d7e6b5a40");
    device_id = "pump-0042";
}
void upload(esp_http_client_handle_t c) {
    esp_http_client_set_header(c, "X-Api-Key", api_key);
    esp_http_client_set_header(c, "X-Device", device_id);
}`,
    );
    expect(literals(flow.origins(call('esp_http_client_set_header', 0).args[2]))).toEqual(['"k3y-8f2a9c1d7e6b5a40"']);
    expect(literals(flow.origins(call('esp_http_client_set_header', 1).args[2]))).toEqual(['"pump-0042"']);
  });

  it("near misses: a struct member, and a function's own variable of the same name", async () => {
    const { flow, call } = await analyse(
      'cpp',
      `struct Session { const char *token; };
char *secret;
class Client {
  String token;
  void pair() { token = "paired-token-123456"; }
};
void lab() { char *secret; secret = "bench-only-secret-1"; puts(secret); }
void other(Session *s) { send(token); }
void upload() { send(secret); }`,
    );
    expect(literals(flow.origins(call('send', 0).args[0]))).toEqual([]);
    expect(literals(flow.origins(call('send', 1).args[0]))).toEqual([]);
  });
});

describe('constants', () => {
  it('folds String.format, % and f-strings, and stops at run-time values', async () => {
    const { flow, model } = await analyse(
      'python',
      `HOST = "10.0.0.5"
URL = "http://%s:%d/fw" % (HOST, 8080)
def f(port):
    return f"http://{HOST}:{port}/fw"
`,
    );
    const url = model.bindings.find((b) => b.target === 'URL')!;
    expect(flow.constant(url.value)?.value).toBe('http://10.0.0.5:8080/fw');
    const fn = model.functions[0];
    expect(flow.constant(fn.returns[0])).toBeUndefined();
  });

  it('a parameter is constant only when every call site passes the same value', async () => {
    const { flow, call } = await analyse(
      'c',
      `static void hash(const char *alg, const void *d) { EVP_get_digestbyname(alg); }
void a(void) { hash("sha1", 0); }
void b(void) { hash("sha256", 0); }`,
    );
    const arg = call('EVP_get_digestbyname').args[0];
    expect(flow.constant(arg)).toBeUndefined();
    expect(literals(flow.origins(arg)).sort()).toEqual(['"sha1"', '"sha256"']);
  });
});

describe('origins: a function whose address is handed out has callers this file does not show', () => {
  const origins = async (code: string) => {
    const { flow, call } = await analyse('c', code);
    const arg = call('EVP_get_digestbyname').args[0];
    return { kinds: [...new Set(kinds(flow.origins(arg)))].sort(), constant: flow.constant(arg)?.value };
  };
  const helper = `static void hash(const char *alg) { EVP_get_digestbyname(alg); }\n`;

  it('passed as a callback, taken by address, in a table, in a struct, stored or returned: the parameter is open', async () => {
    for (const escape of [
      'void init(void) { register_digest_hook(hash); hash("sha256"); }',
      'void init(void) { register_digest_hook(&hash); hash("sha256"); }',
      'static void (*const hooks[])(const char *) = { hash };\nvoid init(void) { hash("sha256"); }',
      'static const struct digest_ops ops = { .run = hash };\nvoid init(void) { hash("sha256"); }',
      'void init(struct digest_ops *ops) { ops->run = hash; hash("sha256"); }',
      'digest_fn pick(void) { hash("sha256"); return hash; }',
    ]) {
      const found = await origins(helper + escape);
      expect(found.kinds, escape).toEqual(['literal', 'parameter']);
      expect(found.constant, escape).toBeUndefined();
    }
  });

  it('only called, or its name only in a string, a member or a comment: the calls seen are all of them', async () => {
    for (const near of [
      'void init(void) { hash("sha256"); register_digest_hook(hash("sha256")); }',
      'void init(void) { log_str("hash"); hash("sha256"); }',
      'void init(struct ctx *c) { use(c->hash); use(c.hash); hash("sha256"); }',
      '/* register_digest_hook(hash) is for later */\nvoid init(void) { hash("sha256"); }',
    ]) {
      const found = await origins(helper + near);
      expect(found.kinds, near).toEqual(['literal']);
      expect(found.constant, near).toBe('sha256');
    }
  });

  it('a variable of the same name is not the function', async () => {
    const found = await origins(`${helper}void init(void) { int hash = 3; use(hash); hash("sha256"); }`);
    expect(found.kinds).toEqual(['literal']);
  });

  it("a local of the same name in another function does not hide the function's address handed out here", async () => {
    const found = await origins(`${helper}void other(void) { int hash = 3; use(hash); }
void init(void) { register_digest_hook(hash); hash("sha256"); }`);
    expect(found.kinds).toEqual(['literal', 'parameter']);
  });
});

describe('origins: a method reference hands the method out (Java, Kotlin)', () => {
  const open = async (language: LanguageId, code: string) => {
    const { flow, call } = await analyse(language, code);
    return [...new Set(kinds(flow.origins(call('factoryReset').args[0])))].sort();
  };
  const java = (use: string) => `class Menu {
  private void run(String cmd) { device.factoryReset(cmd); }
  void start() { ${use} run("status"); }
}`;
  const kotlin = (use: string) => `class Menu {
  private fun run(cmd: String) { device.factoryReset(cmd) }
  fun start() { ${use}; run("status") }
}`;

  it('this::run, Menu::run, ::run: the parameter is open', async () => {
    for (const use of ['link.setHandler(this::run);', 'link.setHandler(Menu::run);', 'Consumer<String> c = this::run; link.setHandler(c);'])
      expect(await open('java', java(use)), use).toEqual(['literal', 'parameter']);
    for (const use of ['link.setHandler(this::run)', 'link.setHandler(::run)', 'val handlers = mapOf("x" to Menu::run)'])
      expect(await open('kotlin', kotlin(use)), use).toEqual(['literal', 'parameter']);
  });

  it("another object's method of the same name is not this one", async () => {
    expect(await open('java', java('link.setHandler(panel::run);'))).toEqual(['literal']);
    expect(await open('kotlin', kotlin('link.setHandler(panel::run)'))).toEqual(['literal']);
    expect(await open('kotlin', kotlin('link.setHandler(Panel::run)'))).toEqual(['literal']);
  });
});

describe('origins: fallbacks and defaults are places a value comes from', () => {
  it('TypeScript: `configured || "*"` and `??` keep the literal; a concatenation does not', async () => {
    const { flow, call } = await analyse(
      'typescript',
      `const allowOrigin = process.env.ALLOWED_ORIGIN || '*';
const fallback = process.env.ORIGIN ?? 'https://clinic.example.org';
const joined = process.env.HOST + '/api';
res.setHeader('Access-Control-Allow-Origin', allowOrigin);
res.setHeader('X-Fallback', fallback);
res.setHeader('X-Joined', joined);`,
    );
    const first = flow.origins(call('setHeader', 0).args[1]);
    expect(kinds(first)).toEqual(['source:environment', 'literal']);
    expect(literals(first)).toEqual(["'*'"]);
    expect(literals(flow.origins(call('setHeader', 1).args[1]))).toEqual(["'https://clinic.example.org'"]);
    expect(literals(flow.origins(call('setHeader', 2).args[1]))).toEqual([]);
  });

  it('Python: `os.getenv("X", "*")` and `x or "*"` yield the default beside the environment', async () => {
    const { flow, call } = await analyse(
      'python',
      `import os
origins = os.getenv("CORS_ORIGINS", "*")
other = os.environ.get("OTHER") or "*"
plain = os.getenv("PLAIN")
CORS(app, origins=origins)
CORS(app, origins=other)
CORS(app, origins=plain)`,
    );
    const named = (nth: number) => call('CORS', nth).named.find((p) => p.key === 'origins')!.value;
    expect(kinds(flow.origins(named(0)))).toEqual(['source:environment', 'literal']);
    expect(literals(flow.origins(named(1)))).toEqual(['"*"']);
    expect(kinds(flow.origins(named(2)))).toEqual(['source:environment']);
  });
});
