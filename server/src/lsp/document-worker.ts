/** The language server's document worker thread (bundled as document-worker.js next to server.js), handed the built-in rules. */
import { builtinRegistry } from '../builtin-registry';
import { runDocumentWorker } from './document-worker-loop';

runDocumentWorker(builtinRegistry);
