/**
 * Kconfig conditions (`if A && B`, `depends on X || Y`), read only as far as they can be shown to hold from the
 * symbols a project turns on: alternatives of plain symbols that must all be on. An alternative with a negation,
 * a comparison or parentheses is left out (nothing shows it holds), so what is derived from these is never more
 * than the configuration turns on.
 */

const SYMBOL = /^[A-Za-z0-9_]+$/;

/** `A && B || C` → [[A, B], [C]]; `y` holds always; an alternative that cannot be shown to hold is left out. */
export function disjunctsOf(condition: string): string[][] {
  const text = condition.trim();
  if (/[()]/.test(text)) return [];
  const out: string[][] = [];
  for (const alternative of text.split('||')) {
    const atoms = alternative.split('&&').map((atom) => atom.trim());
    if (atoms.some((atom) => !SYMBOL.test(atom) || atom === 'n')) continue;
    out.push(atoms.filter((atom) => atom !== 'y'));
  }
  return out;
}

/**
 * The symbols a plain conjunction (`depends on A && B`) requires, for telling when an entry is off: a symbol a
 * configuration file turns off turns the entry off. A condition with alternatives or negations requires nothing
 * this can show.
 */
export function conjunctionOf(condition: string): string[] {
  const text = condition.trim();
  if (text.includes('||') || /[()!<>=]/.test(text)) return [];
  return text
    .split('&&')
    .map((atom) => atom.trim())
    .filter((atom) => SYMBOL.test(atom) && atom !== 'y');
}
