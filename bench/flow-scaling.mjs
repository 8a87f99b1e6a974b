#!/usr/bin/env node
// Flow-layer scaling (issue 10, "nothing in it worse than linear in file size"): CPU time of the data-flow
// queries alone (core/flow, on a model already built) on generated files of size n and 4n, per language.
// Every argument of every call is asked origins(), constant() and uses(), the queries rules make at their
// sinks. Linear work takes about 4x for 4x the file; a quadratic search takes about 16x. Exit 1 when a
// ratio reaches --bar (default 7, as test/hardening/large-files.test.ts).
//
//   node bench/flow-scaling.mjs [--units 400] [--runs 3] [--bar 7]
//
// The generated shapes are the ones flow queries walk: constants and #defines, chains of locals, copies into
// buffers, helper parameters and return values, reassignments of one variable, and many sinks per function.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    units: { type: 'string', default: '400' },
    runs: { type: 'string', default: '3' },
    bar: { type: 'string', default: '7' },
  },
});
const units = Number(options.units);
const runs = Number(options.runs);
const bar = Number(options.bar);

const bundle = path.join(here, '.build', 'flow-engine.cjs');
await build({ ...nodeBundleOptions, entryPoints: [path.join(here, 'flow-entry.ts')], outfile: bundle });
const engine = createRequire(import.meta.url)(bundle);

/** One unit of each language: a constant, a chain of locals, a copy or conversion, a helper, a sink. */
const UNITS = {
  c: {
    file: 'gen.c',
    head: '#include <string.h>\n',
    unit: (i) =>
      `#define PW_${i} "pw-${i}"\nstatic const char *pick_${i}(const char *p) { return p; }\n` +
      `void connect_${i}(void *client) {\n  const char *a = PW_${i};\n  const char *b = a;\n  const char *c = pick_${i}(b);\n` +
      `  char buf[32];\n  strcpy(buf, c);\n  int n = 0;\n  n = n + 1;\n  n = n + 2;\n  n = n + 3;\n` +
      `  mqtt_connect(client, "user", buf);\n  mqtt_connect(client, "user", c);\n}\n`,
  },
  java: {
    file: 'Gen.java',
    head: 'class Gen {\n',
    tail: '}\n',
    unit: (i) =>
      `  static final String PW_${i} = "pw-${i}";\n  static String pick${i}(String p) { return p; }\n` +
      `  void connect${i}(String url) throws Exception {\n    String a = PW_${i};\n    String b = a + "";\n    String c = pick${i}(b);\n` +
      `    byte[] k = c.getBytes("UTF-8");\n    String s = "x";\n    s = s + "y";\n    s = s + "z";\n` +
      `    java.sql.DriverManager.getConnection(url, "admin", c);\n    new javax.crypto.spec.SecretKeySpec(k, "AES");\n  }\n`,
  },
  python: {
    file: 'gen.py',
    head: 'import hmac\n',
    unit: (i) =>
      `PW_${i} = "pw-${i}"\n\ndef pick_${i}(p):\n    return p\n\ndef connect_${i}(client):\n    a = PW_${i}\n    b = f"{a}"\n` +
      `    c = pick_${i}(b)\n    k = c.encode("utf-8")\n    s = "x"\n    s = s + "y"\n    s = s + "z"\n` +
      `    client.username_pw_set("user", c)\n    hmac.new(k, b"m", "sha256")\n\n`,
  },
  typescript: {
    file: 'gen.ts',
    head: "import * as crypto from 'crypto';\n",
    unit: (i) =>
      `const PW_${i} = 'pw-${i}';\nfunction pick${i}(p: string): string { return p; }\n` +
      `export function connect${i}(client: any): void {\n  const a = PW_${i};\n  const b = \`\${a}\`;\n  const c = pick${i}(b);\n` +
      `  let s = 'x';\n  s = s + 'y';\n  s = s + 'z';\n  client.connect('mqtt://broker', 'user', c);\n` +
      `  crypto.createHmac('sha256', c);\n}\n`,
  },
};

/** A file of `count` units of `lang`. */
function source(lang, count) {
  const shape = UNITS[lang];
  let text = shape.head;
  for (let i = 0; i < count; i++) text += shape.unit(i);
  return text + (shape.tail ?? '');
}

function cpuMs() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU ms of building the flow of a parsed file and querying every call argument, best of `runs`. */
async function flowCost(lang, count) {
  const shape = UNITS[lang];
  const text = source(lang, count);
  const parsed = await engine.parseFile({ path: `/gen/${shape.file}`, relativePath: shape.file, text, language: lang });
  const args = parsed.model.calls.flatMap((call) => call.args);
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const started = cpuMs();
    const flow = engine.buildValueFlow(parsed.model, text);
    for (const arg of args) {
      flow.origins(arg);
      flow.constant(arg);
      flow.uses(arg);
    }
    best = Math.min(best, cpuMs() - started);
  }
  parsed.tree?.delete(); // the model resolves arguments and parts lazily from the tree
  return { ms: best, lines: text.split('\n').length, queries: args.length * 3 };
}

let failed = false;
console.log(`flow-layer scaling: ${units} and ${units * 4} units per file, best of ${runs} runs, CPU ms of the queries alone`);
for (const lang of Object.keys(UNITS)) {
  await flowCost(lang, Math.max(1, units / 4)); // grammar loaded, code warm
  const small = await flowCost(lang, units);
  const large = await flowCost(lang, units * 4);
  const ratio = large.ms / Math.max(small.ms, 0.001);
  if (ratio >= bar) failed = true;
  console.log(
    `  ${lang.padEnd(11)} ${String(small.lines).padStart(7)} lines ${small.ms.toFixed(1).padStart(8)} ms   ` +
      `${String(large.lines).padStart(7)} lines ${large.ms.toFixed(1).padStart(8)} ms   x${ratio.toFixed(2)}${ratio >= bar ? '  (over the bar)' : ''}`,
  );
}
console.log(`4x the file should cost about 4x; the bar is x${bar}.`);
process.exit(failed ? 1 : 0);
