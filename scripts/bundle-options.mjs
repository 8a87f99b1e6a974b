// The esbuild settings every Node bundle of medsec needs (scripts/build.mjs, and the benchmarks that bundle
// the engine): one place, so a bench never measures a differently built engine.
export const nodeBundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // Each rule's docs.md is part of its metadata (rules/_shared/define-rule.ts): bundled as text.
  loader: { '.md': 'text' },
  // jsonc-parser's UMD build requires its own files by computed paths, which a bundle cannot see.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  // ESM dependencies (web-tree-sitter) locate files from import.meta.url, which CommonJS lacks.
  define: { 'import.meta.url': '__medsecImportMetaUrl' },
  banner: { js: 'const __medsecImportMetaUrl = require("url").pathToFileURL(__filename).href;' },
};
