import { describe, expect, it } from 'vitest';
import { Edit } from 'web-tree-sitter';
import { parseFile } from '../../server/src/core/check';
import { FragmentedModel } from '../../server/src/core/model/model-fragments';
import type { CodeModel } from '../../server/src/core/model/types';
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

  it('reads an argument list with a conditional inside it, both branches in place', async () => {
    const text = [
      'BT_GATT_SERVICE_DEFINE(svc, BT_GATT_PRIMARY_SERVICE(&svc_uuid),',
      '  BT_GATT_CHARACTERISTIC(&rx_uuid.uuid, BT_GATT_CHRC_WRITE,',
      '#if CONFIG_BLE_DISABLE_PAIRING_REQUIRED',
      '    BT_GATT_PERM_WRITE,',
      '#else',
      '    BT_GATT_PERM_WRITE_ENCRYPT,',
      '#endif',
      '    NULL, on_receive, NULL));',
      '#ifdef CONFIG_LOG',
      'static void log_rx(void) { LOG_INF("rx"); }',
      '#endif',
      '',
    ].join('\n');
    const parsed = await modelOf('ble_transport.c', text);
    expect(parsed.model.hasErrors).toBe(false);
    const characteristic = parsed.model.calls.find((c) => c.name === 'BT_GATT_CHARACTERISTIC');
    expect(characteristic && text.slice(characteristic.start, characteristic.end)).toContain('BT_GATT_PERM_WRITE_ENCRYPT');
    // The conditional tree-sitter placed itself stays a directive of the model.
    expect(parsed.model.functions.map((f) => f.name)).toEqual(['log_rx']);
    expect(parsed.model.directives.length).toBeGreaterThan(0);
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

describe('a blanked parse in the language server', () => {
  it('re-parses edits of a file with blanked macros to the same model as a fresh parse', async () => {
    const fragments = new FragmentedModel('cpp');
    let text =
      'namespace dose {\nDOSE_NAMESPACE_BEGIN\nclass Pump {\n public:\n  void start() { motor_on(1); }\n};\nDOSE_NAMESPACE_END\n}\n';
    const steps: [string, string][] = [
      ['motor_on(1)', 'motor_on(2); valve_open()'], // the macros stay: the blanked tree is not reused
      ['DOSE_NAMESPACE_BEGIN\n', ''], // one macro gone: still blanked
      ['DOSE_NAMESPACE_END\n', ''], // none left: a clean parse, from the edited tree
      ['class Pump', 'DOSE_API\nclass Pump'], // a macro again
    ];
    const input = () => ({ path: '/p/pump.cc', relativePath: 'pump.cc', language: 'cpp' as const, text });
    let parsed = await parseFile(input(), undefined, undefined, fragments);
    for (const [find, replace] of steps) {
      const at = text.indexOf(find);
      parsed.tree?.edit(new Edit(editOf(text, at, find.length, replace)));
      text = text.slice(0, at) + replace + text.slice(at + find.length);
      fragments.settle();
      const next = await parseFile(input(), parsed.tree, undefined, fragments);
      parsed.tree?.delete();
      parsed = next;
      const fresh = await parseFile(input());
      fresh.tree?.delete();
      expect(parsed.model.hasErrors, `after "${replace}"`).toBe(false);
      expect(summary(parsed.model), `after "${replace}"`).toEqual(summary(fresh.model));
    }
    expect(summary(parsed.model).calls).toEqual(['motor_on', 'valve_open']);
    parsed.tree?.delete();
  });
});

/** What rules read of a model, as plain data. */
function summary(model: CodeModel) {
  return {
    functions: model.functions.map((f) => [f.name, f.start, f.end]),
    calls: model.calls.map((c) => c.name),
    callSpans: model.calls.map((c) => [c.start, c.end]),
    classes: model.classes.map((c) => [c.name, c.start, c.end]),
  };
}

/** The tree-sitter edit for replacing `length` code units at `at` with `replace`. */
function editOf(text: string, at: number, length: number, replace: string) {
  const point = (source: string, offset: number) => {
    const before = source.slice(0, offset);
    return { row: before.split('\n').length - 1, column: offset - (before.lastIndexOf('\n') + 1) };
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
