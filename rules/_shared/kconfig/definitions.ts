/**
 * The Kconfig definition language, as far as rules need it to tell which symbols a project turns on: the entries
 * of a `Kconfig`, `Kconfig.defconfig`, `Kconfig.sysbuild`, `Kconfig.projbuild` file with their `select` and
 * `imply` lines (and `if` conditions), `depends on` (also from enclosing `if` blocks and menus), `default y`, and
 * the defaults of `choice` blocks.
 *
 * Kconfig is a line language: a symbol's properties are the lines after its `config` line, up to the next entry;
 * a `help` block is the text indented deeper than the `help` line; `if X … endif` and `menu … depends on X …
 * endmenu` add X to the dependencies of every entry inside. A `select` forces its target on whenever its owner is
 * on (the target's own dependencies notwithstanding); an `imply` only sets the target's default, so a
 * configuration file's `=n` wins.
 */
import type { Span } from '../../../server/src/core/types';
import { pushAll } from '../../../server/src/core/arrays';
import { conjunctionOf, disjunctsOf } from './conditions';

export interface KconfigSelect {
  /** The selected symbol, without `CONFIG_`. */
  target: string;
  /** The target's name on the `select` or `imply` line, where a finding goes. */
  span: Span;
  /** The symbol whose entry holds the line. */
  owner: string;
  /** `imply`: a default the configuration can override. */
  weak: boolean;
  /**
   * The `if` condition as alternatives of symbols that must all be on (`if A && B || C`: [[A, B], [C]]); one
   * empty alternative when there is no condition, none when no alternative can be shown to hold (`if !X`).
   */
  when: string[][];
}

export interface KconfigEntry {
  symbol: string;
  /** Symbols every one of which the entry depends on (`depends on A && B`, enclosing `if A`); see conditions.ts. */
  dependsOn: string[];
  /** `default y` alternatives (`default y if A`): each a list of symbols that must be on. */
  defaultOn: string[][];
  /**
   * Every `default` line of the entry in order, its value as written (`3`, `0x10`, `y`, a symbol), with its
   * condition: Kconfig takes the first whose condition holds, so only a leading unconditional one is certain.
   */
  defaults: { value: string; when: string[][] }[];
}

export interface ChoiceDefault {
  /** The symbol the choice defaults to. */
  symbol: string;
  /** The symbol's name on the `default` line, where a finding goes. */
  span: Span;
  when: string[][];
  /** Symbols the choice depends on (its own `depends on`, enclosing `if` blocks and menus). */
  dependsOn: string[];
  /** The choice's other members, each of which a configuration file may pick instead. */
  others: string[];
}

export interface KconfigDefinitions {
  entries: KconfigEntry[];
  selects: KconfigSelect[];
  choiceDefaults: ChoiceDefault[];
}

const ENTRY = /^[ \t]*(menuconfig|config)[ \t]+([A-Za-z0-9_]+)[ \t]*(?:#.*)?$/;
const CHOICE = /^[ \t]*choice\b/;
const END_CHOICE = /^[ \t]*endchoice\b/;
const IF_BLOCK = /^[ \t]*if[ \t]+(\S.*)$/;
const END_IF = /^[ \t]*endif\b/;
const MENU = /^[ \t]*menu[ \t]/;
const END_MENU = /^[ \t]*endmenu\b/;
const OTHER_ENTRY = /^[ \t]*(?:source|rsource|osource|orsource|comment|mainmenu)\b/;
const SELECT = /^[ \t]*(select|imply)[ \t]+([A-Za-z0-9_]+)(?:[ \t]+if[ \t]+(\S.*))?$/;
const DEPENDS = /^[ \t]*depends[ \t]+on[ \t]+(\S.*)$/;
const DEFAULT = /^[ \t]*(?:default|def_bool)[ \t]+([A-Za-z0-9_]+)(?:[ \t]+if[ \t]+(\S.*))?$/;
const HELP = /^[ \t]*(?:help|---help---)[ \t]*(?:#.*)?$/;

const KCONFIG_DEFINITION = /^Kconfig(?:\.[\w.-]+)?$/;

/** Whether a file name is a Kconfig definition file (`Kconfig.defaults`, a configuration fragment, is not). */
export function isKconfigDefinitionName(name: string): boolean {
  return KCONFIG_DEFINITION.test(name) && !/\.defaults$/i.test(name);
}

/** Indentation width, a tab to the next multiple of 8 as Kconfig counts it. */
function indentOf(line: string): number {
  let width = 0;
  for (const ch of line) {
    if (ch === ' ') width++;
    else if (ch === '\t') width = width - (width % 8) + 8;
    else break;
  }
  return width;
}

/** A line without its trailing comment and blanks (Kconfig conditions hold no `#`, prompts are quoted). */
function withoutComment(line: string): string {
  const hash = line.indexOf('#');
  return (hash >= 0 && !line.slice(0, hash).includes('"') ? line.slice(0, hash) : line).trimEnd();
}

interface Block {
  kind: 'if' | 'menu' | 'choice';
  depends: string[];
  choice?: { defaults: Omit<ChoiceDefault, 'others' | 'dependsOn'>[]; members: string[] };
}

/** Reads a Kconfig definition file; lines it does not understand are skipped. */
export function readKconfig(content: string): KconfigDefinitions {
  const out: KconfigDefinitions = { entries: [], selects: [], choiceDefaults: [] };
  const blocks: Block[] = [];
  let entry: KconfigEntry | undefined;
  let helpIndent: number | undefined;
  let offset = 0;
  const enclosing = () => blocks.flatMap((b) => b.depends);
  const closeBlock = (kind: Block['kind']) => {
    const at = blocks.map((b) => b.kind).lastIndexOf(kind);
    if (at < 0) return;
    const dependsOn = blocks.slice(0, at + 1).flatMap((b) => b.depends);
    const [block] = blocks.splice(at);
    if (!block.choice) return;
    for (const d of block.choice.defaults)
      out.choiceDefaults.push({ ...d, dependsOn, others: block.choice.members.filter((m) => m !== d.symbol) });
  };
  for (const raw of content.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    if (helpIndent !== undefined) {
      if (!raw.trim() || indentOf(raw) > helpIndent) continue;
      helpIndent = undefined;
    }
    const line = withoutComment(raw.replace(/\r$/, ''));
    if (!line.trim()) continue;
    const head = ENTRY.exec(line);
    if (head) {
      entry = { symbol: head[2], dependsOn: enclosing(), defaultOn: [], defaults: [] };
      out.entries.push(entry);
      innermostChoice(blocks)?.members.push(head[2]);
      continue;
    }
    if (HELP.test(line)) {
      helpIndent = indentOf(line);
      continue;
    }
    if (readBlockLine(line, blocks, closeBlock)) {
      entry = undefined;
      continue;
    }
    const depends = DEPENDS.exec(line);
    if (depends) {
      const atoms = conjunctionOf(depends[1]);
      // A `depends on` right after `menu` or `choice` (no entry yet) applies to everything inside it.
      if (entry) pushAll(entry.dependsOn, atoms);
      else if (blocks.length) pushAll(blocks[blocks.length - 1].depends, atoms);
      continue;
    }
    const def = DEFAULT.exec(line);
    if (def) {
      const keyword = line.trimStart().startsWith('def_bool') ? 'def_bool' : 'default';
      const at = start + line.indexOf(def[1], line.indexOf(keyword) + keyword.length);
      readDefault(def, { start: at, end: at + def[1].length }, entry, blocks);
      continue;
    }
    const select = entry ? SELECT.exec(line) : null;
    if (select) {
      const at = start + raw.indexOf(select[2], raw.indexOf(select[1]) + select[1].length);
      out.selects.push({
        target: select[2],
        span: { start: at, end: at + select[2].length },
        owner: entry!.symbol,
        weak: select[1] === 'imply',
        when: select[3] ? disjunctsOf(select[3]) : [[]],
      });
    }
  }
  while (blocks.length) closeBlock(blocks[blocks.length - 1].kind);
  return out;
}

function innermostChoice(blocks: readonly Block[]): Block['choice'] {
  for (let i = blocks.length - 1; i >= 0; i--) if (blocks[i].choice) return blocks[i].choice;
  return undefined;
}

/** `if`/`endif`, `menu`/`endmenu`, `choice`/`endchoice` and other lines that end an entry. */
function readBlockLine(line: string, blocks: Block[], close: (kind: Block['kind']) => void): boolean {
  const ifBlock = IF_BLOCK.exec(line);
  if (ifBlock) blocks.push({ kind: 'if', depends: conjunctionOf(ifBlock[1]) });
  else if (END_IF.test(line)) close('if');
  else if (MENU.test(line)) blocks.push({ kind: 'menu', depends: [] });
  else if (END_MENU.test(line)) close('menu');
  else if (CHOICE.test(line)) blocks.push({ kind: 'choice', depends: [], choice: { defaults: [], members: [] } });
  else if (END_CHOICE.test(line)) close('choice');
  else return OTHER_ENTRY.test(line);
  return true;
}

/** `default y [if C]` of an entry, or `default SYMBOL [if C]` of the choice it sits in. */
function readDefault(def: RegExpExecArray, span: Span, entry: KconfigEntry | undefined, blocks: Block[]): void {
  const when = def[2] ? disjunctsOf(def[2]) : [[]];
  const choice = blocks.length ? blocks[blocks.length - 1].choice : undefined;
  if (!entry && choice) choice.defaults.push({ symbol: def[1], span, when });
  if (!entry) return;
  entry.defaults.push({ value: def[1], when });
  if (def[1] === 'y') pushAll(entry.defaultOn, when);
}
