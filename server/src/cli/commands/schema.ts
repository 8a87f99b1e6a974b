/**
 * `medsec schema [--write | --check]`: prints, rewrites or checks schema/medsec.schema.json, which is
 * generated from the configuration types (core/config-types.ts) and the built-in rules' options.
 */
import * as fs from 'fs';
import * as path from 'path';
import { builtinRegistry } from '../../builtin-registry';
import { configSchema } from '../../core/config-types';
import { EXIT } from '../errors';

export function schemaText(): string {
  return `${JSON.stringify(configSchema(builtinRegistry.rules), null, 2)}\n`;
}

export function schemaFile(): string {
  // bin/medsec.js runs from the repository (or the package): the schema sits in schema/ next to bin/.
  return path.resolve(__dirname, '..', 'schema', 'medsec.schema.json');
}

export function runSchemaCommand(mode: 'print' | 'write' | 'check', file = schemaFile()): number {
  const text = schemaText();
  if (mode === 'print') {
    process.stdout.write(text);
    return EXIT.ok;
  }
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (mode === 'check') {
    if (current === text) return EXIT.ok;
    process.stderr.write(`medsec: ${file} is out of date; run \`medsec schema --write\`\n`);
    return EXIT.findings;
  }
  if (current !== text) fs.writeFileSync(file, text);
  process.stdout.write(`${current === text ? 'unchanged' : 'wrote'} ${file}\n`);
  return EXIT.ok;
}
