/**
 * Comments found from the text and the tree (core/parse/estree-comments.ts) are exactly the ones
 * typescript-estree's `comment: true` finds, which costs 400 MB at the peak on a 5 MB bundle (issue 12,
 * item 3). Checked on the places where `//` and `/*` are not comments.
 */
import { parse } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';
import { commentsOf } from '../../server/src/core/parse/estree-comments';

const SOURCES: Record<string, string> = {
  strings: `const a = "//not" + '/* not */'; // yes\nconst b = 1; /* yes */`,
  regex: 'const r = /[/]\\/\\/*x/g; // after a regex\nconst d = a / b / c; //e',
  template: 'const t = `a // ${b /* inside */} /* not */ ${`//`}`; /** doc */',
  jsx: 'const d = <div title="//no">// text {/* jsx */} http://x</div>; // end',
  hashbang: '#!/usr/bin/env node\n// first\nrun();',
  lineEnds: 'a(); // crlf\r\nb(); // ls\u2028c(); /* multi\nline */ d();',
  empty: '',
  divisionAtEnd: 'x = a /\n b;',
};

function expected(text: string) {
  const program = parse(text, { range: true, comment: true, jsx: true });
  return (program.comments ?? []).map((c) => ({ type: c.type, value: c.value, range: c.range }));
}

describe('comments of a TypeScript / JavaScript file', () => {
  for (const [name, text] of Object.entries(SOURCES)) {
    it(`are typescript-estree's: ${name}`, () => {
      const program = parse(text, { range: true, comment: false, jsx: true });
      const found = commentsOf(text, program).map((c) => ({ type: c.type, value: c.value, range: c.range }));
      expect(found).toEqual(expected(text));
    });
  }
});
