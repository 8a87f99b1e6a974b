import { describe, expect, it } from 'vitest';
import { parseFile } from '../../server/src/core/check';
import { detectLanguage } from '../../server/src/core/language';
import type { CodeModel } from '../../server/src/core/model/types';

async function model(path: string, text: string): Promise<CodeModel> {
  // The tree stays alive: the model resolves arguments and values from it on first use.
  const parsed = await parseFile({ path, relativePath: path, text, language: detectLanguage(path)! });
  return parsed.model;
}

const bindings = (m: CodeModel) => m.bindings.map((b) => `${b.kind} ${b.target}=${b.value.kind}:${b.value.value ?? ''}`);
const calls = (m: CodeModel) =>
  m.calls.map(
    (c) => `${c.callee}(${c.args.map((a) => a.value ?? a.kind).join(',')}${c.named.map((n) => `,${n.key}=${n.value.value}`).join('')})`,
  );

describe('code model', () => {
  it('C: designated initializers, #defines with adjacent literals, calls, strcmp comparisons, functions', async () => {
    const m = await model(
      'a.c',
      [
        '#define WIFI_PASS "ab" "cd"',
        'wifi_config_t c = { .sta = { .ssid = "s", .password = "p" } };',
        'int f(const char *in) { if (strcmp(in, "x") == 0) { return 1; } esp_ota_end(h); return 0; }',
      ].join('\n'),
    );
    expect(bindings(m)).toContain('define WIFI_PASS=string:abcd');
    expect(bindings(m)).toContain('property password=string:p');
    expect(calls(m)).toEqual(['strcmp(in,x)', 'esp_ota_end(h)']);
    expect(m.comparisons.map((c) => c.operator)).toEqual(['==', 'strcmp']);
    const f = m.functions[0];
    expect([f.name, f.params, f.calls.map((c) => c.name), f.statementCount]).toEqual(['f', ['in'], ['strcmp', 'esp_ota_end'], 3]);
  });

  it('C: a #define value ends before its comment, and a comment opener inside its string is text', async () => {
    const text = [
      '#define ARG_BUF_SIZE 64 // bytes, one command line',
      '#define OTA_URL "http://updates.example/fw" // staging',
      '#define TIMEOUT_MS 10 /* ms */',
      '#define GLOB "logs/*.txt" /* the upload set */',
      '#define SHIFTED (1 << 3) // bit 3',
      "#define SLASH '/' // separator",
    ].join('\n');
    const m = await model('a.c', text);
    expect(bindings(m)).toEqual([
      'define ARG_BUF_SIZE=number:64',
      'define OTA_URL=string:http://updates.example/fw',
      'define TIMEOUT_MS=number:10',
      'define GLOB=string:logs/*.txt',
      'define SHIFTED=other:(1 << 3)',
      "define SLASH=other:'/'",
    ]);
    const url = m.bindings[1].value;
    expect(text.slice(url.start, url.end)).toBe('"http://updates.example/fw"');
  });

  it('C: string content spans point between the quotes, escapes are decoded', async () => {
    const text = 'const char *s = "a\\"b";';
    const m = await model('a.c', text);
    const s = m.strings[0];
    expect(s.value).toBe('a"b');
    expect(text.slice(s.content!.start, s.content!.end)).toBe('a\\"b');
  });

  it('Python: keyword arguments, subscript assignment, defaults, f-strings are not constants', async () => {
    const m = await model('a.py', 'r = requests.get(u, verify=False)\ncfg["password"] = "x"\ndef f(token="t"):\n    return f"{token}"\n');
    expect(calls(m)).toContain('requests.get(u,verify=false)');
    expect(bindings(m)).toContain('assignment password=string:x');
    expect(bindings(m)).toContain('default token=string:t');
    expect(m.functions[0].returns[0].kind).toBe('other');
  });

  it('Java: anonymous classes and lambdas with their supertypes and returns', async () => {
    const m = await model(
      'A.java',
      'class A { void f() { TrustManager t = new X509TrustManager() { public void checkServerTrusted(X509Certificate[] c, String a) {} }; HostnameVerifier v = (h, s) -> true; } }',
    );
    const anon = m.classes.find((c) => c.name === '');
    expect(anon?.supertypes).toEqual(['X509TrustManager']);
    expect(anon?.methods.map((x) => [x.name, x.statementCount])).toEqual([['checkServerTrusted', 0]]);
    expect(m.functions.find((f) => f.name === '')?.returns.map((r) => r.value)).toEqual(['true']);
  });

  it('Kotlin: properties, named arguments, navigation calls', async () => {
    const m = await model(
      'a.kt',
      'val password = "hunter22"\nfun f() { val md = MessageDigest.getInstance("MD5"); connect(user = "u", pw = "p") }',
    );
    expect(bindings(m)).toContain('declaration password=string:hunter22');
    expect(calls(m)).toContain('MessageDigest.getInstance(MD5)');
    expect(calls(m)).toContain('connect(,user=u,pw=p)');
  });

  it('TypeScript: object properties, env assignment, class implements, template literals', async () => {
    const m = await model(
      'a.ts',
      "const a = new https.Agent({ rejectUnauthorized: false });\nprocess.env['NODE_TLS_REJECT_UNAUTHORIZED'] = `0`;\nclass T implements X509 { verify() { return true; } }",
    );
    expect(bindings(m)).toContain('property rejectUnauthorized=boolean:false');
    expect(bindings(m)).toContain('assignment process.env.NODE_TLS_REJECT_UNAUTHORIZED=string:0');
    expect(m.classes[0].supertypes).toEqual(['X509']);
  });

  it('TypeScript with a syntax error still yields strings and comments, with a note', async () => {
    const parsed = await parseFile({
      path: 'b.ts',
      relativePath: 'b.ts',
      text: 'const u = "http://pump.example/api";\nfunction (( {\n// note\n',
      language: 'typescript',
    });
    expect(parsed.model.strings.map((s) => s.value)).toEqual(['http://pump.example/api']);
    expect(parsed.model.comments.length).toBe(1);
    expect(parsed.notes[0]).toMatch(/syntax error at 2:/);
  });

  it('sdkconfig, .env and AndroidManifest.xml entries carry exact value spans', async () => {
    const text = 'CONFIG_ESP_WIFI_PASSWORD="p4ss"\n# CONFIG_SECURE_BOOT is not set\n';
    const m = await model('sdkconfig', text);
    expect(m.config.map((e) => [e.key, e.value, text.slice(e.valueSpan.start, e.valueSpan.end)])).toEqual([
      ['CONFIG_ESP_WIFI_PASSWORD', 'p4ss', 'p4ss'],
      ['CONFIG_SECURE_BOOT', 'n', 'CONFIG_SECURE_BOOT'],
    ]);
    const env = await model('.env', 'export API_TOKEN=abc123 # comment\nEMPTY=\n');
    expect(env.config.map((e) => [e.key, e.value])).toEqual([
      ['API_TOKEN', 'abc123'],
      ['EMPTY', ''],
    ]);
    const manifest = await model(
      'AndroidManifest.xml',
      '<manifest><!-- <application android:debuggable="false"/> --><application android:debuggable="true"/></manifest>',
    );
    expect(manifest.config.map((e) => [e.key, e.value])).toEqual([['application@android:debuggable', 'true']]);
  });

  it('a .h file that is C++ is parsed as C++', async () => {
    const parsed = await parseFile({
      path: 'x.h',
      relativePath: 'x.h',
      text: 'namespace ota { class Updater { public: bool begin(); }; }\n',
      language: 'c',
    });
    expect(parsed.language).toBe('cpp');
    parsed.tree?.delete();
  });

  it('imports, uninitialised declarations, preprocessor directives and call result use (C)', async () => {
    const m = await model(
      'a.c',
      '#include <mbedtls/md5.h>\n#ifdef SKIP_VERIFY\nint a;\n#endif\n#error "need secure boot"\nvoid f(void) { MD5Builder md5; if (!verify(a)) {} verify(b); r = verify(c); g(verify(d)); }\n',
    );
    expect(m.imports.map((i) => i.module)).toEqual(['mbedtls/md5.h']);
    expect(m.variables.map((v) => `${v.name}:${v.type}`)).toEqual(['a:int', 'md5:MD5Builder']);
    expect(m.directives.map((d) => `${d.kind} ${d.condition}`)).toEqual(['#ifdef SKIP_VERIFY', '#error "need secure boot"']);
    expect(m.calls.map((c) => `${c.name}(${c.args[0]?.text}):${c.resultUse}`)).toEqual([
      'verify(a):condition',
      'verify(b):statement',
      'verify(c):assignment',
      'g(verify(d)):statement',
      'verify(d):argument',
    ]);
  });

  it('imports and docstrings (Python), imports (Java, Kotlin, TS)', async () => {
    const py = await model('a.py', '"""Module doc."""\nfrom hashlib import md5 as m\nimport os.path as p\n');
    expect(py.imports.map((i) => [i.module, i.name, i.local])).toEqual([
      ['hashlib', 'md5', 'm'],
      ['os.path', undefined, 'p'],
    ]);
    expect(py.strings[0].standalone).toBe(true);
    const java = await model('A.java', 'import java.security.MessageDigest;\nclass A {}');
    expect(java.imports.map((i) => [i.module, i.name])).toEqual([['java.security', 'MessageDigest']]);
    const kt = await model('a.kt', 'import okhttp3.OkHttpClient as C\n');
    expect(kt.imports.map((i) => [i.module, i.name, i.local])).toEqual([['okhttp3', 'OkHttpClient', 'C']]);
    const ts = await model('a.ts', "import { createHash as ch } from 'crypto';\nconst { md5 } = require('md5');\nif (!verify(x)) {}\n");
    expect(ts.imports.map((i) => [i.module, i.name, i.local])).toEqual([
      ['crypto', 'createHash', 'ch'],
      ['md5', 'md5', 'md5'],
    ]);
    expect(ts.calls.find((c) => c.name === 'verify')?.resultUse).toBe('condition');
  });
});

describe('Kotlin string templates', () => {
  it('reads `$name` as a reference, also where the grammar splits the text around it', async () => {
    const m = await model('Scale.kt', 'fun f(v: String) { Log.d(TAG, "Auto-saving valid bind key: $v, again ${v.length}") }');
    const template = m.calls.find((c) => c.callee === 'Log.d')!.args[1];
    expect(template.parts!().map((p) => [p.kind, p.text])).toEqual([
      ['string', 'Auto-saving valid bind key: '],
      ['name', 'v'],
      ['string', ', again '],
      ['name', 'v.length'],
    ]);
  });
});
