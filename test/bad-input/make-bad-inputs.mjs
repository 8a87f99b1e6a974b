// Malformed inputs for robustness tests: the scanner must survive every one of these (no crash, no hang,
// no unbounded memory) and still report what is findable in the well-formed parts.
//
//   import { makeBadInputs } from './bad-input/make-bad-inputs.mjs';
//   const paths = await makeBadInputs(tmpDir);
//
// Files written (all deterministic; random data comes from a seeded PRNG):
//   random.c            64 KiB of random bytes, NUL and invalid UTF-8 included
//   truncated.c         a valid function, then a second one cut mid-function inside a string literal
//   minified.js         ~5 MiB, one line, no newline: valid JS (a huge data array plus a few calls);
//                       exactly one cleartext endpoint string, "http://telemetry.wardnet-gw.com/ingest"
//   bad_utf8.py         invalid UTF-8 bytes in a comment and a string, then a valid
//                       `requests.get(..., verify=False)` call on its own line
//   empty.ts            zero bytes
//   bom_only.c          only a UTF-8 byte-order mark (EF BB BF)
//   deep_nesting.c      a function with 5000 levels of nested braces
//   Broken.java         broken class syntax around one valid method that calls MessageDigest.getInstance("MD5")
//   unterminated.kt     a Kotlin file whose string literal never closes
//   sdkconfig           garbage lines (no '=', stray quotes, control bytes but no NUL, a bare CR, merge
//                       markers, a 100 KiB line) around one valid
//                       `CONFIG_ESP_WIFI_PASSWORD="Garb4ge!Pump"` line
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeRng } from '../fuzz/hostile-corpus.mjs';

const MINIFIED_TARGET_BYTES = 5 * 1024 * 1024;
const NESTING_DEPTH = 5000;

function randomBytes(rng, n) {
  const buf = Buffer.alloc(n);
  for (let i = 0; i < n; i++) buf[i] = Math.floor(rng() * 256);
  return buf;
}

function truncatedC() {
  return [
    '#include <string.h>',
    '#include "esp_log.h"',
    '',
    'static const char *TAG = "link";',
    '',
    'static int checksum8(const unsigned char *p, size_t n)',
    '{',
    '    int sum = 0;',
    '    for (size_t i = 0; i < n; i++) {',
    '        sum = (sum + p[i]) & 0xff;',
    '    }',
    '    return sum;',
    '}',
    '',
    'int link_open(const char *host, int port)',
    '{',
    '    char url[128];',
    '    if (port <= 0) {',
    '        ESP_LOGE(TAG, "bad port %d", port);',
    '        return -1;',
    '    }',
    '    snprintf(url, sizeof(url), "https://%s:%d/api/v2/pum',
  ].join('\n');
}

// One line of valid JavaScript, padded with generated records until it reaches the target size.
function minifiedJs(rng) {
  const wards = ['icu-1', 'icu-2', 'onc-3', 'ped-4', 'er-5', 'nicu-6'];
  const drugs = ['heparin', 'insulin', 'morphine', 'propofol', 'saline', 'vanco'];
  const head =
    '"use strict";var L=function(d){return d.filter(function(r){return r.ok}).length};' +
    'var S=function(d){var t=0;for(var i=0;i<d.length;i++){t+=d[i].rate*d[i].vol}return t};var D=[';
  const tail =
    '];var summary={count:D.length,live:L(D),load:S(D)};' +
    'console.log(JSON.stringify(summary));' +
    'fetch("http://telemetry.wardnet-gw.com/ingest",{method:"POST",body:JSON.stringify(summary)})' +
    '.catch(function(e){console.error(e.message)});';
  const parts = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < MINIFIED_TARGET_BYTES; i++) {
    const rec =
      `${i ? ',' : ''}{id:${i},ward:"${wards[i % wards.length]}",drug:"${drugs[Math.floor(rng() * drugs.length)]}",` +
      `rate:${(rng() * 999).toFixed(2)},vol:${Math.floor(rng() * 5000)},ok:${rng() < 0.9},tags:[${Math.floor(rng() * 99)},${Math.floor(rng() * 99)}]}`;
    parts.push(rec);
    size += rec.length;
  }
  parts.push(tail);
  return parts.join('');
}

function badUtf8Python() {
  return Buffer.concat([
    Buffer.from('import requests\n\n# operator note: '),
    Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc]),
    Buffer.from('\nLABEL = "pomp\u00e9 '),
    Buffer.from([0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]),
    Buffer.from('"\n\n\ndef fetch_fixture(host):\n'),
    Buffer.from('    resp = requests.get(f"https://{host}/calibration", verify=False, timeout=5)\n'),
    Buffer.from('    return resp.json()\n'),
  ]);
}

function deepNestingC() {
  return 'int deep(int x)\n{\n' + '{\n'.repeat(NESTING_DEPTH) + '    x++;\n' + '}\n'.repeat(NESTING_DEPTH) + '    return x;\n}\n';
}

function brokenJava() {
  return [
    'package com.infusion.broken;',
    '',
    'import java.security.MessageDigest;',
    '',
    'public class Broken extends {',
    '    private int rate = ;',
    '    public void (String) {',
    '        if (rate > ) { return',
    '    }',
    '',
    '    public static byte[] legacyDigest(byte[] image) throws Exception {',
    '        MessageDigest md = MessageDigest.getInstance("MD5");',
    '        return md.digest(image);',
    '    }',
    '',
    '    int[] table = {1, 2, 3',
    '    class Inner implements {',
    '}',
    '',
  ].join('\n');
}

function unterminatedKotlin() {
  return [
    'package com.infusion.broken',
    '',
    'fun banner(): String {',
    '    val title = "InfuSafe companion',
    '    return title',
    '}',
    '',
    'fun rate(): Int = 42',
    '',
  ].join('\n');
}

function garbageSdkconfig(rng) {
  const lines = [
    '#',
    '# Automatically generated file. DO NOT EDIT.',
    'CONFIG_IDF_TARGET="esp32s3"',
    'CONFIG_',
    '=y',
    'CONFIG_NO_VALUE',
    'CONFIG_BROKEN_QUOTE="never closed',
    'CONFIG_MANY_QUOTES="a"b"c"',
    'CONFIG_WITH SPACE=y',
    '    CONFIG_INDENTED=y',
    'CONFIG_EQUALS==="x"',
    'CONFIG_CTRL=\u0001\u001b[31my\u007f',
    'CONFIG_CR=y\rCONFIG_AFTER_CR=n',
    'CONFIG_ESP_WIFI_PASSWORD="Garb4ge!Pump"',
    '# CONFIG_SECURE_BOOT is not',
    '<<<<<<< HEAD',
    'CONFIG_MERGE_CONFLICT=y',
    '=======',
    '>>>>>>> feature/ota',
    `CONFIG_LONG="${'x'.repeat(100 * 1024)}"`,
  ];
  for (let i = 0; i < 20; i++) {
    let junk = '';
    for (let j = 0; j < 40; j++) junk += String.fromCharCode(33 + Math.floor(rng() * 94));
    lines.push(junk);
  }
  return lines.join('\n') + '\n';
}

/**
 * Write the malformed inputs into `dir` (created if missing).
 * @param {string} dir
 * @returns {Promise<string[]>} the paths written, in a fixed order
 */
export async function makeBadInputs(dir) {
  await mkdir(dir, { recursive: true });
  const rng = makeRng(0x5eed);
  const files = [
    ['random.c', randomBytes(rng, 64 * 1024)],
    ['truncated.c', truncatedC()],
    ['minified.js', minifiedJs(rng)],
    ['bad_utf8.py', badUtf8Python()],
    ['empty.ts', ''],
    ['bom_only.c', Buffer.from([0xef, 0xbb, 0xbf])],
    ['deep_nesting.c', deepNestingC()],
    ['Broken.java', brokenJava()],
    ['unterminated.kt', unterminatedKotlin()],
    ['sdkconfig', garbageSdkconfig(rng)],
  ];
  const paths = [];
  for (const [name, content] of files) {
    const p = join(dir, name);
    await writeFile(p, content);
    paths.push(p);
  }
  return paths;
}
