import { Parser, Language } from 'web-tree-sitter';
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
await Parser.init();
const [lang, file] = process.argv.slice(2);
const paths = {c:'tree-sitter-c/tree-sitter-c.wasm',cpp:'tree-sitter-cpp/tree-sitter-cpp.wasm',python:'tree-sitter-python/tree-sitter-python.wasm',java:'tree-sitter-java/tree-sitter-java.wasm',kotlin:'@tree-sitter-grammars/tree-sitter-kotlin/tree-sitter-kotlin.wasm'};
const L = await Language.load(require.resolve(paths[lang]));
const p = new Parser(); p.setLanguage(L);
const src = require('fs').readFileSync(file,'utf8');
const t = p.parse(src);
function walk(n, d=0, f=''){ console.log(' '.repeat(d)+(f?f+': ':'')+n.type+ (n.childCount===0||n.type.includes('literal')||n.type==='identifier'?' '+JSON.stringify(n.text.slice(0,40)):'')); for (let i=0;i<n.namedChildCount;i++){ const c=n.namedChild(i); walk(c,d+1, n.fieldNameForNamedChild?.(i) ?? '');} }
walk(t.rootNode);
