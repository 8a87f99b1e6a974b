// Lint: typescript-eslint's recommended rules over the TypeScript and the scripts. Fixtures and examples are
// device code for the rules to read (deliberately insecure, in seven languages), not code of this project.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/fixtures/**',
      'examples/**',
      'dist/**',
      'server/out/**',
      'client/out/**',
      'test-results/**',
      'bench/realcode/.checkouts/**',
      'bench/realcode/.out/**',
      'bench/corpus*/**',
      'bench/.*/**',
      'test/e2e/.*/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` says "deliberately unused" (a destructured part left out, a parameter an interface requires).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // The model's lazy getters (`get value()`) run with `this` bound to the node they define, so they reach
      // the tree-sitter model builder through this one name.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['builder'] }],
    },
  },
  {
    // Issue 12: `fn(...items)` puts every element on the stack, and an array built from input (a file's strings,
    // a configuration's globs) overflows it past about 100,000 elements. Use pushAll / maxOf / minOf
    // (server/src/core/arrays.ts) or a loop; an array literal or an UPPER_CASE constant tuple is fixed in size.
    files: ['server/src/**/*.ts', 'rules/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            ':matches(CallExpression, NewExpression) > SpreadElement:not([argument.type="ArrayExpression"]):not([argument.name=/^[A-Z][A-Z0-9_]*$/])',
          message: 'Do not spread an array into a call: its size is unbounded. Use pushAll, maxOf or minOf (server/src/core/arrays.ts).',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
