/**
 * The Kconfig definition reader (rules/_shared/kconfig): entries, select/imply with their conditions, depends
 * from `depends on` and enclosing blocks, defaults, choices, help text, and input it does not understand.
 */
import { expect, it } from 'vitest';
import { conjunctionOf, disjunctsOf } from '../rules/_shared/kconfig/conditions';
import { readKconfig } from '../rules/_shared/kconfig/definitions';

it('reads selects and implies with their conditions, and skips help text', () => {
  const defs = readKconfig(
    [
      'config APP_A',
      '\tbool "A"',
      '\tselect SHELL if BT && APP_B',
      '\timply GDBSTUB',
      '\tselect X if !DEBUG',
      '\thelp',
      '\t  select NOT_A_SELECT',
      '',
      '\t  still help',
      'config APP_B',
      '\tbool',
    ].join('\n'),
  );
  expect(defs.selects.map((s) => [s.owner, s.target, s.weak, s.when])).toEqual([
    ['APP_A', 'SHELL', false, [['BT', 'APP_B']]],
    ['APP_A', 'GDBSTUB', true, [[]]],
    ['APP_A', 'X', false, []],
  ]);
  expect(defs.entries.map((e) => e.symbol)).toEqual(['APP_A', 'APP_B']);
});

it('gives entries the dependencies of `depends on`, `if` blocks and menus, and reads defaults and choices', () => {
  const defs = readKconfig(
    [
      'if APP_NET',
      'menu "Diagnostics"',
      '\tdepends on LOG',
      'config APP_DIAG',
      '\tbool "Diag"',
      '\tdepends on SHELL && BT',
      '\tdefault y if APP_REMOTE',
      'endmenu',
      'endif',
      'config APP_OUT',
      '\tdefault y',
      'choice BOOT_SIGNATURE_TYPE',
      '\tdefault BOOT_SIGNATURE_TYPE_ED25519',
      'config BOOT_SIGNATURE_TYPE_NONE',
      '\tbool "none"',
      'config BOOT_SIGNATURE_TYPE_ED25519',
      '\tbool "ed25519"',
      'endchoice',
    ].join('\n'),
  );
  const diag = defs.entries.find((e) => e.symbol === 'APP_DIAG')!;
  expect(diag.dependsOn).toEqual(['APP_NET', 'LOG', 'SHELL', 'BT']);
  expect(diag.defaultOn).toEqual([['APP_REMOTE']]);
  expect(defs.entries.find((e) => e.symbol === 'APP_OUT')).toEqual({
    symbol: 'APP_OUT',
    dependsOn: [],
    defaultOn: [[]],
    defaults: [{ value: 'y', when: [[]] }],
  });
  expect(defs.choiceDefaults).toEqual([
    { symbol: 'BOOT_SIGNATURE_TYPE_ED25519', span: expect.anything(), when: [[]], dependsOn: [], others: ['BOOT_SIGNATURE_TYPE_NONE'] },
  ]);
});

it('gives a choice default the span of its symbol and the choice its enclosing conditions', () => {
  const text = [
    'if BOOTLOADER_MCUBOOT',
    'choice BOOT_SIGNATURE_TYPE',
    '	depends on !MCUBOOT_BOOTLOADER_NO_DOWNGRADE',
    '	default BOOT_SIGNATURE_TYPE_NONE if BOARD_NATIVE_SIM # no keys on the simulator',
    '	default BOOT_SIGNATURE_TYPE_ECDSA_P256',
    'endchoice',
    'endif',
  ].join('\n');
  const defaults = readKconfig(text).choiceDefaults;
  expect(defaults.map((d) => [text.slice(d.span.start, d.span.end), d.when, d.dependsOn])).toEqual([
    ['BOOT_SIGNATURE_TYPE_NONE', [['BOARD_NATIVE_SIM']], ['BOOTLOADER_MCUBOOT']],
    ['BOOT_SIGNATURE_TYPE_ECDSA_P256', [[]], ['BOOTLOADER_MCUBOOT']],
  ]);
});

it('conditions: alternatives of plain symbols, nothing it cannot show', () => {
  expect(disjunctsOf('A && B || C')).toEqual([['A', 'B'], ['C']]);
  expect(disjunctsOf('y')).toEqual([[]]);
  expect(disjunctsOf('!A || B')).toEqual([['B']]);
  expect(disjunctsOf('(A || B) && C')).toEqual([]);
  expect(disjunctsOf('A = y')).toEqual([]);
  expect(conjunctionOf('A && B')).toEqual(['A', 'B']);
  expect(conjunctionOf('A || B')).toEqual([]);
  expect(conjunctionOf('!A')).toEqual([]);
});

it('survives unbalanced blocks, stray lines and very long input', () => {
  expect(() => readKconfig('endif\nendmenu\nendchoice\nselect X\nif\nconfig\n\tdepends on\n')).not.toThrow();
  const long = `config A\n\tselect B if ${'C && '.repeat(20000)}D\n`;
  expect(readKconfig(long).selects[0].when[0]).toHaveLength(20001);
});

it('keeps the value defaults of an int entry in order, with their conditions', () => {
  const defs = readKconfig(
    [
      'config EXAMPLE_IO_TYPE',
      '\tint',
      '\tprompt "Board IO Capability"',
      '\tdefault 1 if BOARD_HAS_LCD',
      '\tdefault 3',
      '\thelp',
      '\t  default 0 here is help text',
    ].join('\n'),
  );
  expect(defs.entries[0].defaults).toEqual([
    { value: '1', when: [['BOARD_HAS_LCD']] },
    { value: '3', when: [[]] },
  ]);
  expect(defs.entries[0].defaultOn).toEqual([]);
});
