/** The engine is pure (design.md §1): no LSP or VS Code import in server/src/core or rules/. */
import * as fs from 'fs';
import * as path from 'path';
import { expect, it } from 'vitest';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

it('core and rules import nothing from vscode or the language server', () => {
  const root = path.join(__dirname, '..', '..');
  const offenders = [...sources(path.join(root, 'server/src/core')), ...sources(path.join(root, 'rules'))].filter((file) =>
    /from\s+['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*)['"]|require\(['"]vscode/.test(fs.readFileSync(file, 'utf8')),
  );
  expect(offenders).toEqual([]);
});
