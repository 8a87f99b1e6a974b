import { describe, expect, it } from 'vitest';
import { parseFile } from '../../server/src/core/check';
import { parseCFamily } from '../../server/src/core/parse/c-family';
import { opensLinkageInConditional } from '../../server/src/core/parse/header-language';
import { errorCost } from '../../server/src/core/parse/error-cost';
import { parseTreeSitter } from '../../server/src/core/parse/tree-sitter';

const header = (text: string) => ({ path: '/p/api.h', relativePath: 'api.h', language: 'c' as const, text });

/** The language both parses would choose: C++ when C++ is clean and C fails or the text has C++ markers. */
async function byBothParses(text: string, markers: boolean): Promise<'c' | 'cpp'> {
  const c = await parseTreeSitter('c', text);
  const cpp = await parseTreeSitter('cpp', text);
  const language = (c.rootNode.hasError || markers) && !cpp.rootNode.hasError ? 'cpp' : 'c';
  c.delete();
  cpp.delete();
  return language;
}

const GUARDED = [
  '#ifndef API_H',
  '#define API_H',
  '#ifdef __cplusplus',
  'extern "C" {',
  '#endif',
  'int api_open(const char *path);',
  '#ifdef __cplusplus',
  '}',
  '#endif',
  '#endif',
  '',
].join('\n');

describe('the language of a .h file', () => {
  it('is C for a C header whose extern "C" block opens inside #ifdef __cplusplus, as both parses say', async () => {
    expect(opensLinkageInConditional(GUARDED)).toBe(true);
    expect(await byBothParses(GUARDED, false)).toBe('c');
    const parsed = await parseFile(header(GUARDED));
    expect(parsed.language).toBe('c');
    // Both plain parses fail at the guard; with its directive lines blanked (c-family.ts) C reads the block whole.
    const [c, cpp] = [await parseTreeSitter('c', GUARDED), await parseTreeSitter('cpp', GUARDED)];
    expect(c.rootNode.hasError && cpp.rootNode.hasError).toBe(true);
    c.delete();
    cpp.delete();
    expect(parsed.model.hasErrors).toBe(false);
    parsed.tree?.delete();
  });

  it('is C++ for a header with C++ constructs that C++ parses', async () => {
    const cpp = 'namespace dose {\nclass Pump {\n public:\n  int rate() const;\n};\n}\n';
    expect(await byBothParses(cpp, true)).toBe('cpp');
    const parsed = await parseFile(header(cpp));
    expect(parsed.language).toBe('cpp');
    parsed.tree?.delete();
  });

  it('when both grammars fail, is the one that read more of the header as code', async () => {
    // A C++ header with a default argument `= {}`, which tree-sitter-cpp reads with one MISSING node: C fails on
    // every class and method of it.
    const namespaced = [
      'namespace dose {',
      'class Pump {',
      ' public:',
      '  int rate() const { return rate_; }',
      '  void run(const std::vector<std::string>& params = {}) { start(params); }',
      ' private:',
      '  int rate_;',
      '};',
      '}',
      '',
    ].join('\n');
    const [c, cpp] = [await parseTreeSitter('c', namespaced), await parseTreeSitter('cpp', namespaced)];
    expect(c.rootNode.hasError && cpp.rootNode.hasError).toBe(true);
    expect(errorCost(cpp)).toBeLessThan(errorCost(c));
    c.delete();
    cpp.delete();
    const parsed = await parseFile(header(namespaced));
    expect(parsed.language).toBe('cpp');
    expect(parsed.model.functions.map((f) => f.name)).toEqual(['rate', 'run']);
    parsed.tree?.delete();
    // A C header with a syntax error, naming a variable `new`: C reads the function, C++ does not.
    const plain = [
      'struct dose *dose_copy(const struct dose *old) {',
      '  struct dose *new = malloc(sizeof *new);',
      '  memcpy(new, old, sizeof *new);',
      '  return new;',
      '}',
      'int broken(;',
      '',
    ].join('\n');
    const kept = await parseFile(header(plain));
    expect(kept.language).toBe('c');
    expect(kept.model.calls.map((call) => call.callee)).toContain('memcpy');
    kept.tree?.delete();
  });

  it('is C++ for a header that only C fails on, with no marker and no guarded extern "C"', async () => {
    const text = 'int &counter(void);\nextern "C" int api_open(const char *path);\n';
    expect(opensLinkageInConditional(text)).toBe(false);
    expect(await byBothParses(text, false)).toBe('cpp');
    const parsed = await parseFile(header(text));
    expect(parsed.language).toBe('cpp');
    parsed.tree?.delete();
  });

  it('reuses the previous tree only in the grammar it was parsed with', async () => {
    const text = 'namespace dose {\nint rate();\n}\n';
    const first = await parseCFamily('c', 'api.h', text);
    expect(first.language).toBe('cpp');
    const c = await parseTreeSitter('c', 'int x;\n');
    const again = await parseCFamily('c', 'api.h', text, c);
    expect(again.language).toBe('cpp');
    expect(again.tree.rootNode.hasError).toBe(false);
    for (const tree of [first.tree, c, again.tree]) tree.delete();
  });

  it('reads a guard with a trailing comment and blank lines, and not a linkage block closed in its conditional', () => {
    expect(opensLinkageInConditional('#if defined(__cplusplus)\nextern "C" { // C API\n\n  #  endif\n')).toBe(true);
    expect(opensLinkageInConditional('#ifdef __cplusplus\nextern "C" {\nint f(void);\n}\n#endif\n')).toBe(false);
    expect(opensLinkageInConditional('extern int x;\n')).toBe(false);
  });
});
