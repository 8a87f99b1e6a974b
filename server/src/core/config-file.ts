/**
 * Reading a configuration or rule-set file safely. `extends` can name any path, and a hostile repository
 * can commit a link to /dev/zero (which grew to 8.5 GB) or a FIFO (which blocked forever), or a file nested
 * 100,000 levels deep (which overflowed the stack): only regular files under a size cap are read, and
 * nesting is measured before the JSON parser, which recurses, sees the text.
 */
import * as fs from 'fs';

/** Far above any real configuration (the largest rule sets are a few KB). */
export const MAX_CONFIG_FILE_BYTES = 1_000_000;
/** Real configurations nest five or six levels (customRules → matcher → all → not → …). */
export const MAX_CONFIG_NESTING = 64;

/** Why a configuration file cannot be read (an Error whose message completes "cannot read … (…)"). */
export class ConfigFileRefused extends Error {}

/** The file's text, without a UTF-8 byte order mark. Throws ConfigFileRefused or the fs error. */
export function readConfigFileText(file: string): string {
  const stat = fs.statSync(file);
  if (stat.isDirectory()) throw new ConfigFileRefused('it is a directory');
  if (!stat.isFile()) throw new ConfigFileRefused('it is not a regular file (a device, FIFO or socket)');
  if (stat.size > MAX_CONFIG_FILE_BYTES) {
    throw new ConfigFileRefused(`it is larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
  }
  // Read at most one byte past the cap: the file may have grown since the stat.
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const buffer = Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = fs.readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_CONFIG_FILE_BYTES) throw new ConfigFileRefused(`it is larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
    return withoutBom(buffer.subarray(0, length).toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

/** Editors on Windows save JSON with a byte order mark; it is not part of the text. A space keeps offsets. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}

/** The offset where `text` (JSON with comments) first nests deeper than `limit`, or -1. One linear scan. */
export function tooDeepAt(text: string, limit = MAX_CONFIG_NESTING): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '{' || c === '[') {
      if (++depth > limit) return i;
    } else if (c === '}' || c === ']') depth--;
  }
  return -1;
}
