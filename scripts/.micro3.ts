import * as fs from 'fs';
import { parseTreeSitter } from '../server/src/core/parse/tree-sitter';
import { buildTreeSitterModel } from '../server/src/core/model/tree-sitter-model';
(async () => {
  const text = fs.readFileSync(process.argv[2], 'utf8');
  const out: string[] = [];
  for (let r = 0; r < 8; r++) { let t = performance.now(); const tree = await parseTreeSitter('c', text); const p = performance.now() - t; t = performance.now(); buildTreeSitterModel('c', tree, text); out.push(`${p.toFixed(0)}/${(performance.now() - t).toFixed(0)}`); tree.delete(); }
  console.log('parse/model ms:', out.join(' '));
})();
