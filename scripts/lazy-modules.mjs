// Large dependencies that most scans never use, split out of the CLI bundle so that starting medsec does
// not parse them: TypeScript's front end (only for TypeScript / JavaScript files; 10 of the 16 MB), the
// ReDoS checker (only for custom regex rules) and CycloneDX (only for `medsec inventory`). In the bundle each
// such package becomes a stub whose exports load `lazy/<group>.js` next to the bundle on first use.
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Bundles built into lazy/, each with the packages it holds (one bundle per group, so TypeScript is in one). */
export const LAZY_GROUPS = {
  typescript: ['typescript', '@typescript-eslint/typescript-estree'],
  recheck: ['recheck'],
  cyclonedx: ['@cyclonedx/cyclonedx-library'],
};

const groupOf = new Map(Object.entries(LAZY_GROUPS).flatMap(([group, packages]) => packages.map((name) => [name, group])));

/** The esbuild plugin that turns each lazy package into a stub, in the bundles that scan. */
export function lazyModulesPlugin(root) {
  const require = createRequire(join(root, 'package.json'));
  return {
    name: 'medsec-lazy-modules',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) =>
        groupOf.has(args.path) && args.kind !== 'entry-point' ? { path: args.path, namespace: 'medsec-lazy' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'medsec-lazy' }, (args) => ({ contents: stub(args.path, require(args.path)), loader: 'js' }));
    },
  };
}

/** A module with the real one's export names whose values are read from the lazy bundle when first touched (exported for the suite). */
export function stub(name, real) {
  const names = Object.keys(real).filter((key) => key !== '__esModule');
  return [
    `const names = ${JSON.stringify(names)};`,
    // On first use every export becomes a plain value: a reader (ts.forEachChild per node, ts.skipTrivia per
    // token) then reads a property, not this getter and the load behind it, under esbuild's own getter.
    `let loaded; const load = () => {`,
    `  if (loaded) return loaded;`,
    `  loaded = require(require('path').join(__dirname, 'lazy', ${JSON.stringify(`${groupOf.get(name)}.js`)}))[${JSON.stringify(name)}];`,
    `  for (const name of names) Object.defineProperty(exports, name, { enumerable: true, configurable: true, writable: false, value: loaded[name] });`,
    `  return loaded;`,
    `};`,
    real.__esModule ? `Object.defineProperty(exports, '__esModule', { value: true });` : '',
    `for (const name of names) Object.defineProperty(exports, name, { enumerable: true, configurable: true, get: () => load()[name] });`,
  ].join('\n');
}

/** The entry source of the lazy bundle of `group`: an object of its packages. */
export function lazyEntry(group) {
  return `module.exports = { ${LAZY_GROUPS[group].map((name) => `${JSON.stringify(name)}: require(${JSON.stringify(name)})`).join(', ')} };`;
}
