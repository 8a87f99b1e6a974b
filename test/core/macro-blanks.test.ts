import { describe, expect, it } from 'vitest';
import { parseFile } from '../../server/src/core/check';
import { macroCandidates } from '../../server/src/core/parse/macro-blanks';

const file = (path: string, text: string) => ({
  path: `/p/${path}`,
  relativePath: path,
  language: (/\.(cc|cpp)$/.test(path) ? 'cpp' : 'c') as 'c' | 'cpp',
  text,
});

async function modelOf(path: string, text: string) {
  const parsed = await parseFile(file(path, text));
  parsed.tree?.delete();
  return parsed;
}

describe('macros tree-sitter cannot place', () => {
  it('reads a class after a namespace macro alone on its line, offsets unchanged', async () => {
    const text = [
      'namespace dose {',
      'DOSE_NAMESPACE_BEGIN',
      'class Pump {',
      ' public:',
      '  void start() { motor_on(rate_); }',
      ' private:',
      '  int rate_;',
      '};',
      'DOSE_NAMESPACE_END',
      '}  // namespace dose',
      '',
    ].join('\n');
    const parsed = await modelOf('pump.cc', text);
    expect(parsed.model.hasErrors).toBe(false);
    expect(parsed.model.functions.map((f) => f.name)).toEqual(['start']);
    const call = parsed.model.calls.find((c) => c.name === 'motor_on');
    expect(call && text.slice(call.start, call.end)).toBe('motor_on(rate_)');
  });

  it('reads declarations after an attribute macro, a declaring macro call and a nullability annotation', async () => {
    const text = [
      '#include "task.h"',
      'DEFINE_STACK_OF(X509)',
      'BaseType_t xTaskCreate(TaskFunction_t fn, const char *name) PRIVILEGED_FUNCTION;',
      'static const char page[] PROGMEM = "<html>";',
      'int send(const char * dose_nonnull body) {',
      '  return http_post(body);',
      '}',
      '',
    ].join('\n');
    const parsed = await modelOf('api.c', text);
    expect(parsed.model.hasErrors).toBe(false);
    expect(parsed.model.functions.map((f) => f.name)).toEqual(['send']);
    expect(parsed.model.calls.map((c) => c.name)).toContain('http_post');
    expect(parsed.model.strings.map((s) => text.slice(s.start, s.end))).toContain('"<html>"');
  });

  it('leaves a file that parses alone, and macros in the parts that parsed', async () => {
    // An enumerator alone on its line and an upper-case operand are code here, not macros.
    const clean = 'enum mode {\n  MODE_IDLE\n};\nint limit = 2 *\n  MAX_RATE\n;\n';
    expect(macroCandidates(clean).length).toBeGreaterThan(0);
    const parsed = await modelOf('mode.c', clean);
    expect(parsed.model.hasErrors).toBe(false);
    expect(parsed.model.bindings.find((b) => b.name === 'limit')?.value?.text).toContain('MAX_RATE');
  });

  it('keeps a macro that heads a body (an ISR, a test case): blanking it would orphan the function', () => {
    const text = 'ISR(TIMER1_COMPA_vect)\n{\n  tick();\n}\nZTEST(dose, test_rate) {\n}\n';
    expect(macroCandidates(text)).toEqual([]);
  });

  it('keeps the first parse when blanking reads no more of the file', async () => {
    const text = 'DOSE_BEGIN\nint broken(;\nint ok(void) { return 1; }\n';
    const parsed = await modelOf('broken.c', text);
    expect(parsed.model.hasErrors).toBe(true);
    expect(parsed.model.functions.map((f) => f.name)).toContain('ok');
  });
});
