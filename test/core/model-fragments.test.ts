/**
 * The language server's incremental model (core/model/model-fragments.ts): a document edited step by step,
 * re-parsed from its edited tree with the model pieces an edit did not touch reused, must give after every
 * step the same model and the same findings as a fresh check of the same text.
 */
import { describe, expect, it } from 'vitest';
import { Edit, type Tree } from 'web-tree-sitter';
import { checkFile, parseFile, runRules, type CheckInput } from '../../server/src/core/check';
import { resolveConfig } from '../../server/src/core/config';
import { ruleReads } from '../../server/src/core/discover';
import { FragmentedModel } from '../../server/src/core/model/model-fragments';
import { buildTreeSitterModel } from '../../server/src/core/model/tree-sitter-model';
import type { CodeModel } from '../../server/src/core/model/types';
import { parseTreeSitter } from '../../server/src/core/parse/tree-sitter';
import type { TreeSitterLanguage } from '../../server/src/core/language';
import { DEVICE_C, DEVICE_C_STEPS, type Step } from '../helpers/edit-scenarios';
import { BUILTIN } from '../helpers/registry';

const config = resolveConfig({ extends: ['medsec:strict'] }, undefined, '/ws', BUILTIN);

async function expectSameAsFresh(language: TreeSitterLanguage, file: string, initial: string, steps: Step[]): Promise<void> {
  const rules = config.rulesFor(file).filter((effective) => ruleReads(effective, language));
  const fragments = new FragmentedModel(language);
  let text = initial;
  let tree: Tree | undefined;
  let checked = 0;
  let reused = 0;
  for (const [index, step] of [{ name: 'open', edits: [] }, ...steps].entries()) {
    for (const [find, replace] of step.edits) {
      const at = text.indexOf(find);
      expect(at, `${step.name}: "${find}" is in the text`).toBeGreaterThanOrEqual(0);
      tree?.edit(new Edit(editOf(text, at, find.length, replace)));
      text = text.slice(0, at) + replace + text.slice(at + find.length);
    }
    const input: CheckInput = { path: `/ws/${file}`, relativePath: file, text, language };
    const parsed = await parseFile(input, tree, undefined, fragments);
    tree?.delete();
    tree = parsed.tree;
    const incremental = runRules(input, parsed, rules);
    const fresh = await checkFile(input, rules);
    expect(incremental.findings, `findings after "${step.name}"`).toEqual(fresh.findings);
    // Comparing resolves every lazy part of the model; on every other step only settle() does, so the
    // next step shows whether the pieces it reuses were settled.
    if (index % 2 === 1) expect(canonical(parsed.model), `model after "${step.name}"`).toEqual(await freshModel(language, text));
    checked += fresh.findings.length;
    reused += fragments.lastBuild.reused;
    fragments.settle();
  }
  tree?.delete();
  // The scenario must exercise rules, not only the model, and the model must have been reused.
  expect(checked).toBeGreaterThan(0);
  expect(reused).toBeGreaterThanOrEqual(steps.length);
}

/** The tree-sitter edit for replacing `length` code units at `at` with `replace`. */
function editOf(text: string, at: number, length: number, replace: string) {
  const point = (source: string, offset: number) => {
    const before = source.slice(0, offset);
    const row = before.split('\n').length - 1;
    return { row, column: offset - (before.lastIndexOf('\n') + 1) };
  };
  const after = text.slice(0, at) + replace;
  return {
    startIndex: at,
    oldEndIndex: at + length,
    newEndIndex: at + replace.length,
    startPosition: point(text, at),
    oldEndPosition: point(text, at + length),
    newEndPosition: point(after, after.length),
  };
}

async function freshModel(language: TreeSitterLanguage, text: string): Promise<unknown> {
  const tree = await parseTreeSitter(language, text);
  try {
    return canonical(buildTreeSitterModel(language, tree, text));
  } finally {
    tree.delete();
  }
}

/**
 * The model as plain data, every lazy part resolved; a model item's function is named by its span (the
 * function itself holds the calls that point back to it).
 */
function canonical(model: CodeModel): unknown {
  return JSON.parse(
    JSON.stringify(model, (key, value: unknown) => {
      if (key === 'fn' && value && typeof value === 'object') return spanOf(value);
      if (key === 'parts' && typeof value === 'function') return (value as () => unknown)();
      return value;
    }),
  );
}

function spanOf(value: object): string {
  const { start, end } = value as { start: number; end: number };
  return `${start}-${end}`;
}

describe('the incremental model equals a fresh check after every edit', () => {
  it('C: edits inside functions, across function boundaries, functions removed and added, #define changes', async () => {
    await expectSameAsFresh('c', 'main/uplink.c', DEVICE_C, DEVICE_C_STEPS);
  });

  it('Python: statements at module level and methods in a class', async () => {
    const source = [
      'import requests',
      'import hashlib',
      '',
      'FLEET = "https://fleet.example-hospital.org"',
      'VERIFY = True',
      '',
      'def fetch(path):',
      '    """Fetch a resource from the fleet server."""',
      '    return requests.get(FLEET + path, verify=VERIFY)',
      '',
      'class Uploader:',
      '    def digest(self, data):',
      '        return hashlib.sha256(data).hexdigest()',
      '',
      'def push(data):',
      '    return requests.post(FLEET + "/up", data=data, timeout=5)',
      '',
    ].join('\n');
    await expectSameAsFresh('python', 'tools/uplink.py', source, [
      { name: 'verification off at the top', edits: [['VERIFY = True', 'VERIFY = False']] },
      { name: 'a literal in the call', edits: [['verify=VERIFY', 'verify=False']] },
      { name: 'a weak hash in a method', edits: [['hashlib.sha256', 'hashlib.md5']] },
      {
        name: 'a new function at the end',
        edits: [['timeout=5)\n', 'timeout=5)\n\ndef pull():\n    return requests.get("http://fleet.example-hospital.org/cfg")\n']],
      },
      {
        name: 'indent a function into the class',
        edits: [['\ndef push(data):\n    return', '\n    def push(self, data):\n        return']],
      },
      { name: 'delete the class header', edits: [['class Uploader:\n', '']] },
    ]);
  });

  it('C++ and Java: namespaces and classes', async () => {
    const cpp = [
      '#include <openssl/md5.h>',
      'namespace pump {',
      'void digest(const unsigned char *buf, size_t n, unsigned char *out) {',
      '    MD5(buf, n, out);',
      '}',
      '}',
      'int verify_none(SSL_CTX *ctx) { SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr); return 0; }',
      '',
    ].join('\n');
    await expectSameAsFresh('cpp', 'fw/digest.cpp', cpp, [
      { name: 'verification off', edits: [['SSL_VERIFY_PEER', 'SSL_VERIFY_NONE']] },
      { name: 'close the namespace early', edits: [['    MD5(buf, n, out);\n}\n}', '    MD5(buf, n, out);\n}\n}\n}']] },
    ]);
    const java = [
      'import java.security.MessageDigest;',
      'class D {',
      '  byte[] h(byte[] b) throws Exception { return MessageDigest.getInstance("SHA-256").digest(b); }',
      '}',
      '',
    ].join('\n');
    await expectSameAsFresh('java', 'app/D.java', java, [
      { name: 'a weak hash', edits: [['"SHA-256"', '"MD5"']] },
      { name: 'a second class', edits: [['}\n', '}\nclass E { String k = "secret-key-1234567890"; }\n']] },
    ]);
  });
});
