/**
 * Trust in the language server (issue 12, item 8): a client that sends no trust information (Neovim, Helix,
 * any non-VS Code client) gets an untrusted workspace, so a cloned repository's `.medsec.json` cannot make
 * it read `extends` files or run custom rules, unless the user's own settings say `trustedWorkspace: true`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { ensureServerBuilt, LspSession } from './session';

const HASH_CPP =
  '#include <openssl/md5.h>\nvoid digest(const unsigned char *buf, size_t n, unsigned char *out) {\n    MD5(buf, n, out);\n}\n';

let workspace: string;
let session: LspSession | undefined;

beforeAll(() => ensureServerBuilt(), 180_000);
beforeEach(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'medsec-lsp-trust-'));
  // What a hostile repository would commit: an extended file that silences a rule (weak-hash, a strict rule).
  fs.writeFileSync(path.join(workspace, 'base.json'), '{ "rules": { "weak-hash": "off" } }\n');
  fs.writeFileSync(path.join(workspace, '.medsec.json'), '{ "extends": ["medsec:strict", "./base.json"] }\n');
});
afterEach(async () => {
  await session?.stop();
  session = undefined;
  fs.rmSync(workspace, { recursive: true, force: true });
});

async function codesWith(options: { initializationOptions: Record<string, unknown>; settings?: Record<string, unknown> }) {
  const s = (session = await LspSession.start({ folders: [workspace], ...options }));
  const uri = await s.open(path.join(workspace, 'digest.cpp'), HASH_CPP, 'cpp');
  return (await s.diagnosticsFor(uri)).map((d) => d.code);
}

it('treats a client that sends no trust information as untrusted', async () => {
  expect(await codesWith({ initializationOptions: {} })).toEqual(['weak-hash']);
});

it('trusts the workspace when the user settings say so and the client sends nothing', async () => {
  expect(await codesWith({ initializationOptions: {}, settings: { trustedWorkspace: true } })).toEqual([]);
});

it('keeps the client signal when there is one: trusted, and untrusted even if the settings say trusted', async () => {
  expect(await codesWith({ initializationOptions: { trustedWorkspace: true } })).toEqual([]);
  await session?.stop();
  expect(await codesWith({ initializationOptions: { trustedWorkspace: false }, settings: { trustedWorkspace: true } })).toEqual([
    'weak-hash',
  ]);
});
