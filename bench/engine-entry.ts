// What the benchmarks drive: the engine's own functions, bundled by bench/scan-bench.mjs.
export { parseFile, runRules } from '../server/src/core/check';
export { parseTreeSitter } from '../server/src/core/parse/tree-sitter';
export { parseEstree } from '../server/src/core/parse/estree';
export { parseTypeScript } from '../server/src/core/parse/typescript';
export { isTreeSitterLanguage } from '../server/src/core/language';
export { discoverFiles } from '../server/src/core/discover';
export { loadConfig } from '../server/src/core/config';
export { builtinRegistry } from '../server/src/builtin-registry';
export { decodeSource } from '../server/src/core/text';
// The hostile inputs of issue 12, shared with the tests (bench/memory-bench.mjs).
export { minifiedBundle } from '../test/helpers/hostile-source';
