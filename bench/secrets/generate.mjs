/**
 * Writes a labelled set of realistic files with synthetic secrets (bench/secrets/tokens.mjs) and the stand-ins
 * and look-alikes beside them: configuration (.properties, YAML, TOML, INI, JSON, XML, .env, .npmrc), scripts
 * and Dockerfiles, key files, source in C, Python, TypeScript, Java, Kotlin and Go, and Markdown docs.
 *
 *   node bench/secrets/generate.mjs OUT_DIR [--seed N] [--scale N] [--holdout]
 *
 * OUT_DIR/labels.json lists every planted value: { file, line, family, format, secret } (line 1-based, the line
 * a finding must start on; secret false for a negative). Generated data stays out of git: run it at bench time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  connectionString,
  genericPassword,
  genericToken,
  GENERIC_NAMES,
  keyContainer,
  negatives,
  privateKeyPem,
  publicKeyPem,
  rng,
  SLOT_TOKENS,
  TOKENS,
} from './tokens.mjs';

const camel = (name) => name.toLowerCase().replace(/[^a-z0-9]+([a-z0-9])/g, (_, c) => c.toUpperCase());
const upper = (name) =>
  name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
const jsonString = (value) => JSON.stringify(value);
const xmlEscape = (value) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * How a (name, value) pair is written in each kind of file: the lines, and which of them the finding starts on.
 * `simple` excludes values a format cannot hold on one line as written (quotes in a bare value, say).
 */
const WRITERS = {
  properties: { ext: 'application.properties', comment: '#', write: (n, v) => [`${n.includes('.') ? n : `app.${camel(n)}`}=${v}`] },
  yaml: {
    ext: 'config.yaml',
    comment: '#',
    write: (n, v) => [`${camel(n)}: ${/[:#{}[\],&*?|<>=!%@`'"]|^\s|\s$/.test(v) || v === '' ? jsonString(v) : v}`],
  },
  env: { ext: '.env', comment: '#', write: (n, v) => [`${upper(n)}=${v}`] },
  toml: {
    ext: 'settings.toml',
    comment: '#',
    write: (n, v) => [`${camel(n).replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} = ${jsonString(v)}`],
  },
  ini: { ext: 'service.ini', comment: ';', write: (n, v) => [`${n.toLowerCase()} = ${v}`] },
  json: { ext: 'appsettings.json', comment: null, write: (n, v) => [`  ${jsonString(camel(n))}: ${jsonString(v)},`] },
  xml: { ext: 'strings.xml', comment: '<!--', write: (n, v) => [`    <string name="${n.toLowerCase()}">${xmlEscape(v)}</string>`] },
  sh: { ext: 'deploy.sh', comment: '#', write: (n, v) => [`export ${upper(n)}="${v.replace(/(["$`\\])/g, '\\$1')}"`] },
  dockerfile: { ext: 'Dockerfile', comment: '#', write: (n, v) => [`ENV ${upper(n)}=${/\s/.test(v) || v === '' ? jsonString(v) : v}`] },
  c: { ext: 'credentials.c', comment: '//', write: (n, v) => [`static const char *const ${camel(n)} = ${jsonString(v)};`] },
  python: { ext: 'settings.py', comment: '#', write: (n, v) => [`${upper(n)} = ${jsonString(v)}`] },
  typescript: { ext: 'config.ts', comment: '//', write: (n, v) => [`export const ${camel(n)} = ${jsonString(v)};`] },
  java: { ext: 'Secrets.java', comment: '//', write: (n, v) => [`    static final String ${upper(n)} = ${jsonString(v)};`] },
  kotlin: { ext: 'Secrets.kt', comment: '//', write: (n, v) => [`    const val ${upper(n)} = ${jsonString(v)}`] },
  go: { ext: 'config.go', comment: '//', write: (n, v) => [`const ${camel(n)} = ${jsonString(v)}`] },
  markdown: { ext: 'SETUP.md', comment: '<!--', write: (n, v) => [`    export ${upper(n)}=${v}`] },
};
const FILLER = {
  properties: ['server.port=8443', 'logging.level.root=INFO', 'spring.application.name=fleet-gateway'],
  yaml: ['replicas: 2', 'logLevel: info', 'region: eu-central-1'],
  env: ['NODE_ENV=production', 'PORT=8443', 'LOG_LEVEL=info'],
  toml: ['port = 8443', 'log_level = "info"', 'retries = 3'],
  ini: ['port = 8443', 'timeout = 30', 'log = /var/log/gateway.log'],
  json: ['  "port": 8443,', '  "logLevel": "info",', '  "retries": 3,'],
  xml: ['    <string name="app_name">InfuSafe</string>', '    <integer name="retries">3</integer>'],
  sh: ['set -eu', 'echo "deploying $VERSION"', 'cd "$(dirname "$0")"'],
  dockerfile: ['RUN npm ci --omit=dev', 'WORKDIR /app', 'EXPOSE 8443'],
  c: ['#include <stdint.h>', 'static int retries = 3;', 'void pump_init(void);'],
  python: ['import os', 'RETRIES = 3', 'TIMEOUT_S = 30'],
  typescript: ['export const retries = 3;', "export const region = 'eu-central-1';"],
  java: ['    static final int RETRIES = 3;', '    static final String REGION = "eu-central-1";'],
  kotlin: ['    const val RETRIES = 3', '    const val REGION = "eu-central-1"'],
  go: ['const retries = 3', 'const region = "eu-central-1"'],
  markdown: ['Install the gateway with `npm ci`.', 'The device reconnects after 30 s.', ''],
};
/**
 * The hold-out style: other syntaxes (the assignment forms open-source scanners test with: INI quoted and bare,
 * JSON nested and in an escaped string, multi-line XML elements, Go with types and backticks, C#, PHP, Kotlin
 * with types, logstash, Makefile assignments, system properties, URL user info and query strings) and other
 * names (`<provider>Token`), one value per file. Scored separately: the rules were not tuned on it.
 */
const HOLDOUT_TEMPLATES = [
  ['settings.ini', '{i}Token="{s}"'],
  ['settings.ini', '{i}Token = {s}'],
  ['settings.json', '{\n    "{i}_token": "{s}"\n}'],
  ['env.json', '{"config.ini": "{I}_TOKEN={s}\\nBACKUP_ENABLED=true"}'],
  ['config.xml', '<{i}Token>\n    {s}\n</{i}Token>'],
  ['values.yml', '{i}_token: {s}'],
  ['values.yml', "{i}_token: '{s}'"],
  ['values.yml', '{i}_token: "{s}"'],
  ['Client.cs', 'string {i}Token = "{s}";'],
  ['main.go', 'var {i}Token string = "{s}"'],
  ['main.go', '{i}Token := "{s}"'],
  ['main.go', '{i}Token := `{s}`'],
  ['App.java', 'String {i}Token = "{s}";'],
  ['App.kt', 'var {i}Token = "{s}"'],
  ['App.kt', 'var {i}Token: String = "{s}"'],
  ['index.php', '${i}Token .= "{s}"'],
  ['app.py', "{i}Token = '{s}'"],
  ['app.py', '{i}Token = "{s}"'],
  ['Main.java', 'System.setProperty("{I}_TOKEN", "{s}")'],
  ['pipeline.conf', '  "{i}Token" => "{s}"'],
  ['Makefile', '{i}_TOKEN = "{s}"'],
  ['Makefile', '{i}_TOKEN := "{s}"'],
  ['Makefile', '{i}_TOKEN ::= "{s}"'],
  ['Makefile', '{i}_TOKEN ?= "{s}"'],
  ['notes.txt', 'https://{i}:{s}@example.com/'],
  ['notes.txt', 'https://example.com?{i}Token={s}&fooBar=baz'],
];
function holdout(r, outDir, all, emit) {
  let index = 0;
  for (const item of all) {
    if (/[\n"`'\\$]/.test(item.value) || item.value === '') continue;
    // Slot formats and generic values need their own names; the hold-out names providers' tokens `<provider>Token`.
    if (item.format in SLOT_TOKENS || item.family === 'generic' || item.family === 'connection-string') continue;
    const [file, template] = r.pick(
      HOLDOUT_TEMPLATES.filter(([, t]) => !((!item.secret || item.value.includes('://')) && t.startsWith('https://'))),
    );
    // A negative keeps the name it is a negative under (`GIT_SHA`, `TWILIO_ACCOUNT_SID`); a token gets `<provider>Token`.
    const named = item.secret
      ? template.replace(/\{i\}/g, item.format.split('-')[0]).replace(/\{I\}/g, item.format.split('-')[0].toUpperCase())
      : template.replace(/\{i\}Token|\{i\}_token|\{I\}_TOKEN|\{i\}_TOKEN/g, item.name);
    const text = named.replace(/\{s\}/g, item.value);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes(item.value)) + 1;
    emit(`holdout/${String(index++).padStart(4, '0')}/${file}`, lines, [
      { line, family: item.family, format: item.format, secret: item.secret },
    ]);
  }
}

/** Lines before and after the items of a file of each kind. */
const WRAP = {
  json: [['{'], ['  "version": 1', '}']],
  xml: [['<?xml version="1.0" encoding="utf-8"?>', '<resources>'], ['</resources>']],
  java: [['package com.infusafe.fleet;', '', 'final class Secrets {'], ['}']],
  kotlin: [['package com.infusafe.fleet', '', 'object Secrets {'], ['}']],
  go: [['package fleet', ''], []],
  sh: [['#!/bin/sh'], []],
  dockerfile: [['FROM node:20-slim'], ['CMD ["node", "server.js"]']],
  markdown: [['# Fleet gateway setup', ''], []],
};
const KINDS = Object.keys(WRITERS);
/** Kinds where a value's own quoting would break the line: values with quotes or newlines go elsewhere. */
const BARE = new Set(['properties', 'env', 'ini', 'markdown']);

/** Builds the items (one labelled value each) of the set. */
function items(r, scale) {
  const out = [];
  for (const [format, spec] of Object.entries(TOKENS)) {
    for (let i = 0; i < 3 * scale; i++) out.push({ family: spec.family, format, name: spec.name, value: spec.make(r), secret: true });
  }
  for (const [format, spec] of Object.entries(SLOT_TOKENS)) {
    for (let i = 0; i < 3 * scale; i++)
      out.push({ family: spec.family, format, name: r.pick(spec.names), value: spec.make(r), secret: true });
  }
  for (let i = 0; i < 60 * scale; i++)
    out.push({ family: 'generic', format: 'generic-secret', name: r.pick(GENERIC_NAMES.token), value: genericToken(r), secret: true });
  for (let i = 0; i < 40 * scale; i++)
    out.push({
      family: 'generic',
      format: 'generic-password',
      name: r.pick(GENERIC_NAMES.password),
      value: genericPassword(r),
      secret: true,
    });
  for (let i = 0; i < 30 * scale; i++)
    out.push({
      family: 'jwt',
      format: 'jwt',
      name: r.pick(['SERVICE_JWT', 'id_token', 'authToken', 'DEVICE_JWT', 'access_token']),
      value: TOKENS.jwt.make(r),
      secret: true,
    });
  for (let i = 0; i < 40 * scale; i++) {
    const { value } = connectionString(r);
    out.push({
      family: 'connection-string',
      format: 'url-password',
      name: r.pick(['DATABASE_URL', 'MONGO_URI', 'BROKER_URL', 'REDIS_URL', 'REPO_URL', 'AMQP_URL']),
      value,
      secret: true,
    });
  }
  for (let round = 0; round < 4 * scale; round++) {
    for (const [family, list] of Object.entries(negatives(r)))
      for (const n of list) out.push({ family, format: `negative-${family}`, name: n.name, value: n.value, secret: false });
  }
  return out;
}

/** Private keys: whole key files, keys split over C literals, keys in JSON, YAML and Python; public keys and elisions as negatives. */
function keyFiles(r, scale, emit, emitBinary) {
  const kinds = ['rsa-pkcs1', 'rsa-pkcs8', 'ec', 'ed25519', 'encrypted', 'openssh', 'pgp'];
  for (let i = 0; i < 4 * scale; i++) {
    for (const kind of kinds) {
      const pem = privateKeyPem(r, kind);
      const lines = pem.trim().split('\n');
      const where = r.pick(['file', 'c', 'json', 'yaml', 'python', 'java']);
      const id = `${kind}-${i}`;
      if (where === 'file')
        emit(
          `keys/${id}/${kind === 'openssh' ? 'id_ed25519' : kind === 'pgp' ? 'signing.asc' : 'device.key'}`,
          ['# device credential', ...lines],
          [{ line: 2, family: 'private-key', format: `pem-${kind}`, secret: true }],
        );
      if (where === 'c')
        emit(
          `firmware/${id}/tls_key.c`,
          ['#include <stddef.h>', '', 'static const char client_key[] =', ...lines.map((l) => `    "${l}\\n"`), '    ;'],
          [{ line: 3, endLine: 4, family: 'private-key', format: `pem-${kind}`, secret: true }],
        );
      if (where === 'json')
        emit(
          `cloud/${id}/credentials.json`,
          ['{', `  "client_email": "svc@fleet.example",`, `  "private_key": ${JSON.stringify(pem)}`, '}'],
          [{ line: 3, family: 'private-key', format: `pem-${kind}`, secret: true }],
        );
      if (where === 'yaml')
        emit(
          `deploy/${id}/tls.yaml`,
          ['tls:', '  key: |', ...lines.map((l) => `    ${l}`)],
          [{ line: 2, endLine: 3, family: 'private-key', format: `pem-${kind}`, secret: true }],
        );
      if (where === 'python')
        emit(
          `tools/${id}/signing.py`,
          ['SIGNING_KEY = """', ...lines, '"""'],
          [{ line: 1, endLine: 2, family: 'private-key', format: `pem-${kind}`, secret: true }],
        );
      if (where === 'java')
        emit(
          `app/${id}/Keys.java`,
          [
            'final class Keys {',
            '    static final String KEY =',
            ...lines.map((l, j) => `        "${l}\\n"${j < lines.length - 1 ? ' +' : ';'}`),
            '}',
          ],
          [{ line: 2, endLine: 3, family: 'private-key', format: `pem-${kind}`, secret: true }],
        );
    }
    // Committed binary key containers: reported on line 1.
    for (const [kind, name] of [
      ['pkcs12', 'client.p12'],
      ['der', 'device.der'],
      ['jks', 'keystore.jks'],
    ]) {
      emitBinary(`certs/${kind}-${i}/${name}`, keyContainer(r, kind), [
        { line: 1, family: 'private-key', format: `container-${kind}`, secret: true },
      ]);
    }
    // Negatives: public keys, certificates-like headers, elided keys, header constants.
    const pub = publicKeyPem().trim().split('\n');
    emit(
      `keys/public-${i}/release.pub.pem`,
      ['# release verification key', ...pub],
      [{ line: 2, family: 'private-key', format: 'negative-private-key', secret: false }],
    );
    emit(
      `docs/keys-${i}/README.md`,
      ['# Keys', '', '    -----BEGIN RSA PRIVATE KEY-----', '    MIIEpAIBAAKCAQEA...', '    -----END RSA PRIVATE KEY-----'],
      [{ line: 3, endLine: 5, family: 'private-key', format: 'negative-private-key', secret: false }],
    );
    emit(
      `firmware/pem-${i}/pem_parse.c`,
      ['static const char *const BEGIN = "-----BEGIN PRIVATE KEY-----";', 'static const char *const END = "-----END PRIVATE KEY-----";'],
      [{ line: 1, endLine: 2, family: 'private-key', format: 'negative-private-key', secret: false }],
    );
    emit(
      `tests/fixtures/keys-${i}/fake_device.key`,
      ['# generated for the TLS tests', ...privateKeyPem(r, 'ec').trim().split('\n')],
      [{ line: 2, family: 'private-key', format: 'negative-test-fixture', secret: false }],
    );
  }
}

export function generate(outDir, { seed = 1, scale = 1, style = 'realistic' } = {}) {
  const r = rng(seed);
  const labels = [];
  fs.rmSync(outDir, { recursive: true, force: true });
  const emit = (file, lines, fileLabels) => {
    const full = path.join(outDir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, `${lines.join('\n')}\n`);
    for (const label of fileLabels) labels.push({ file, ...label });
  };
  // Shuffle the items, then deal them into files of 2–8 items each, of a random kind.
  const all = items(r, scale);
  for (let i = all.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [all[i], all[j]] = [all[j], all[i]];
  }
  if (style === 'holdout') {
    holdout(r, outDir, all, emit);
    fs.writeFileSync(path.join(outDir, 'labels.json'), `${JSON.stringify(labels, null, 1)}\n`);
    return labels;
  }
  let fileIndex = 0;
  for (let at = 0; at < all.length;) {
    const kind = r.pick(KINDS);
    const writer = WRITERS[kind];
    const count = 2 + r.int(7);
    const lines = [];
    const fileLabels = [];
    for (let k = 0; k < count && at < all.length; k++, at++) {
      const item = all[at];
      if (/\n/.test(item.value) || (BARE.has(kind) && /"/.test(item.value))) continue;
      const filler = FILLER[kind];
      if (r.next() < 0.6) lines.push(r.pick(filler));
      const written = writer.write(item.name, item.value);
      fileLabels.push({ offset: lines.length, family: item.family, format: item.format, secret: item.secret });
      lines.push(...written);
    }
    const [before, after] = WRAP[kind] ?? [[], []];
    const wrapped = [...before, ...lines, ...after];
    const shift = before.length;
    const dir = `${kind}/${String(fileIndex++).padStart(4, '0')}`;
    const name = writer.ext;
    emit(
      `${dir}/${name}`,
      wrapped,
      fileLabels.map(({ offset, ...label }) => ({ line: offset + shift + 1, ...label })),
    );
  }
  const emitBinary = (file, bytes, fileLabels) => {
    const full = path.join(outDir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, bytes);
    for (const label of fileLabels) labels.push({ file, ...label });
  };
  keyFiles(r, scale, emit, emitBinary);
  fs.writeFileSync(path.join(outDir, 'labels.json'), `${JSON.stringify(labels, null, 1)}\n`);
  return labels;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [outDir] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!outDir) {
    console.error('usage: node bench/secrets/generate.mjs OUT_DIR [--seed N] [--scale N]');
    process.exit(2);
  }
  const option = (flag, fallback) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const style = process.argv.includes('--holdout') ? 'holdout' : 'realistic';
  const labels = generate(outDir, { seed: option('--seed', 1), scale: option('--scale', 1), style });
  console.log(`wrote ${labels.length} labelled values (${labels.filter((l) => l.secret).length} secrets) under ${outDir}`);
}
