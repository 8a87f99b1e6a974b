/**
 * The document worker's loop: rebuilds the configurations the main thread names, checks one document at a
 * time (parse, code model, rules) and keeps the tree-sitter trees of the documents edited last, so an
 * edit re-parses incrementally. Run by the worker entry script (document-worker.ts) with the registry it
 * supplies; the main thread's side is document-worker-client.ts.
 *
 * Test-only hooks: with MEDSEC_TEST_HOOKS=1 and MEDSEC_TEST_HANG_ON=<relative path>, a rule that never
 * returns runs on that file, so tests can check that the watchdog stops it; with MEDSEC_TEST_STALL_MS=<ms>
 * as well, the file's first rule instead waits that long without using the CPU on every run (as a thread
 * waiting for a core on a loaded machine does) and then checks, so tests can check that a check slowed by
 * the machine, not by its own work, is not stopped. Without MEDSEC_TEST_HOOKS=1 the variables are ignored.
 */
import { performance } from 'perf_hooks';
import { parentPort, workerData } from 'worker_threads';
import { Edit, type Tree } from 'web-tree-sitter';
import { parseFile, runRules } from '../core/check';
import { resolveConfig } from '../core/config';
import { ruleReads } from '../core/discover';
import { FileBudget } from '../core/file-budget';
import { isTreeSitterLanguage } from '../core/language';
import { FragmentedModel } from '../core/model/model-fragments';
import { ruleSetSignature } from '../core/pool/protocol';
import { kernelThreadId } from '../core/thread-cpu';
import type { EffectiveRule, LanguageId, ResolvedConfig, RuleRegistry } from '../core/types';
import {
  WorkerProgress,
  type CheckReply,
  type CheckRequest,
  type FromDocumentWorker,
  type ToDocumentWorker,
  type WorkerConfig,
  type WorkerMemory,
} from './document-worker-protocol';
import type { TreeEdit } from './incremental';

/**
 * Trees are kept only for re-parsing the documents being edited. A tree lives in tree-sitter's WebAssembly
 * memory, which grows to the largest amount ever in use and is never given back to the system, and its
 * model pieces (model-fragments.ts) stay in the JS heap (the eight kept after opening every file of a
 * 300k-line workspace held 11 MB), so holding them for every open document (hundreds, after "open all")
 * would fix the worker's size at its peak.
 *
 * An LRU of the documents edited most recently keeps theirs, within a count and a total text size; of the
 * documents only opened, not edited, just the one checked last keeps its tree (it is likely the one about
 * to be typed in). Any other document is parsed in full on its next edit (about 30 ms for 5,000 lines) and
 * then, being edited, keeps its tree.
 */
const MAX_KEPT_TREES = 8;
const MAX_KEPT_TREE_TEXT = 2_000_000;

interface KeptTree {
  tree: Tree;
  language: LanguageId;
  textLength: number;
  /** The model of the tree in pieces, so the next check rebuilds only what an edit touched. */
  fragments?: FragmentedModel;
  /** The document was edited since it was opened (its tree was reached by edits at least once). */
  edited: boolean;
}

export function runDocumentWorker(registry: RuleRegistry): void {
  const port = parentPort;
  if (!port) throw new Error('document-worker.js runs only as a worker thread');
  const progress = new WorkerProgress(workerData as SharedArrayBuffer);
  progress.setThread(kernelThreadId());
  const worker = new DocumentWorker(registry, progress);
  const post = (message: FromDocumentWorker) => port.postMessage(message);
  // One message at a time, in order: a check must not start before the configuration sent ahead of it.
  let queue = Promise.resolve();
  port.on('message', (message: ToDocumentWorker) => {
    queue = queue.then(async () => {
      if (message.type === 'config') worker.addConfig(message.configId, message.config);
      else if (message.type === 'forget') worker.forget(message.document);
      else {
        try {
          post({ type: 'done', id: message.id, reply: await worker.check(message.request) });
          // After the answer, not before it: the model's pieces must be resolved before their tree is edited.
          worker.settle(message.request.document);
        } catch (error) {
          post({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
        }
      }
    });
  });
}

class DocumentWorker {
  private readonly configs = new Map<number, ResolvedConfig | Error>();
  /** Least recently checked first. */
  private readonly trees = new Map<string, KeptTree>();
  private readonly hangOn = process.env.MEDSEC_TEST_HOOKS === '1' ? process.env.MEDSEC_TEST_HANG_ON : undefined;
  private readonly stallMs = process.env.MEDSEC_TEST_HOOKS === '1' ? Number(process.env.MEDSEC_TEST_STALL_MS ?? 0) : 0;

  constructor(
    private readonly registry: RuleRegistry,
    private readonly progress: WorkerProgress,
  ) {}

  addConfig(configId: number, setup: WorkerConfig): void {
    try {
      const { root, source, raw, workspaceRoot } = setup;
      const config = resolveConfig(raw, source, root, { registry: this.registry, workspaceRoot });
      this.configs.set(
        configId,
        ruleSetSignature([config]) === setup.ruleSet ? config : new Error("the worker's rules are not the server's"),
      );
    } catch (error) {
      this.configs.set(configId, error instanceof Error ? error : new Error(String(error)));
    }
  }

  forget(document: string): void {
    this.trees.get(document)?.tree.delete();
    this.trees.delete(document);
  }

  async check(request: CheckRequest): Promise<CheckReply> {
    const config = this.configs.get(request.configId);
    if (!config) throw new Error('the worker was not sent the configuration');
    if (config instanceof Error) throw new Error(`the configuration does not load in the worker (${config.message})`);
    const { input } = request;
    const rules = this.rulesFor(config, input.relativePath, input.language);
    this.progress.beginCheck();
    const previous = this.takeTree(request);
    const fragments = request.document ? this.fragmentsFor(previous, input.language) : undefined;
    const budget = new FileBudget(config.fileBudgetMs, (phase) => this.progress.enter(phase));
    const parseStarted = performance.now();
    const parsed = await parseFile(input, previous?.tree, budget, fragments);
    if (parsed.tree !== previous?.tree) previous?.tree.delete();
    const rulesStarted = performance.now();
    const ruleCosts: [string, number][] = [];
    const result = runRules(input, parsed, rules, (ruleId, ms) => ruleCosts.push([ruleId, ms]), budget);
    const rulesEnded = performance.now();
    const commentLines = parsed.model.comments.map((comment) => parsed.text.positionAt(comment.start).line);
    if (parsed.tree && request.document) {
      const kept = fragments?.language === parsed.language ? fragments : undefined;
      const edited = previous?.edited === true || (request.edits !== 'reset' && request.edits.length > 0);
      this.keep(request.document, { tree: parsed.tree, language: parsed.language, textLength: input.text.length, fragments: kept, edited });
    } else parsed.tree?.delete();
    return {
      result,
      language: parsed.language,
      commentLines,
      parseMs: rulesStarted - parseStarted,
      rulesMs: rulesEnded - rulesStarted,
      ruleCosts,
      trees: [...this.trees.keys()],
      memory: workerMemory(),
    };
  }

  private rulesFor(config: ResolvedConfig, relativePath: string, language: LanguageId): EffectiveRule[] {
    const rules = config.rulesFor(relativePath).filter((effective) => ruleReads(effective, language));
    if (this.hangOn === undefined || relativePath !== this.hangOn || rules.length === 0) return rules;
    const [first] = rules;
    const check = this.stallMs > 0 ? stallsThen(this.stallMs, first.rule.check) : neverReturns;
    // The stand-in check is not bounded by the rule's pre-filter: it must run whatever the file holds.
    const hang = { ...first.rule, meta: { ...first.rule.meta, needs: undefined }, check };
    return [{ ...first, rule: hang }, ...rules.slice(1)];
  }

  /** Resolves the lazy parts of the document's model while its tree is intact (model-fragments.ts). */
  settle(document: string | undefined): void {
    if (document) this.trees.get(document)?.fragments?.settle();
  }

  /** The document's kept tree with the edits since its last check applied, if it still matches. */
  private takeTree(request: CheckRequest): KeptTree | undefined {
    if (!request.document) return undefined;
    const kept = this.trees.get(request.document);
    if (!kept) return undefined;
    this.trees.delete(request.document);
    if (request.edits === 'reset' || kept.language !== request.input.language) {
      kept.tree.delete();
      return undefined;
    }
    for (const edit of request.edits) kept.tree.edit(new Edit(edit satisfies TreeEdit));
    return kept;
  }

  /**
   * The model pieces to build a document's model from: the kept ones, or new ones (a one-off check, with
   * no document to keep, builds its model whole).
   */
  private fragmentsFor(previous: KeptTree | undefined, language: LanguageId): FragmentedModel | undefined {
    if (previous?.fragments?.language === language) return previous.fragments;
    return isTreeSitterLanguage(language) ? new FragmentedModel(language) : undefined;
  }

  /**
   * Keeps the tree just parsed as the most recent, frees the tree of a document only opened before it, and
   * the trees of the edited documents left behind beyond the limits.
   */
  private keep(document: string, tree: KeptTree): void {
    this.trees.set(document, tree);
    let text = 0;
    for (const kept of this.trees.values()) text += kept.textLength;
    for (const [name, kept] of this.trees) {
      if (name === document) break; // the document just checked always keeps its tree
      const over = this.trees.size > MAX_KEPT_TREES || text > MAX_KEPT_TREE_TEXT;
      if (!over && kept.edited) continue;
      text -= kept.textLength;
      kept.tree.delete();
      this.trees.delete(name);
    }
  }
}

function workerMemory(): WorkerMemory {
  const { heapUsed, heapTotal, arrayBuffers } = process.memoryUsage();
  return { heapUsed, heapTotal, arrayBuffers };
}

/** MEDSEC_TEST_HANG_ON: a rule stuck in a loop, as a pathological rule would be. */
function neverReturns(): void {
  for (;;) {
    // Spin: only terminating the thread ends this.
  }
}

/** MEDSEC_TEST_STALL_MS: a rule whose thread waits `ms` without using the CPU, then checks as `check` does. */
function stallsThen(ms: number, check: EffectiveRule['rule']['check']): EffectiveRule['rule']['check'] {
  return (context) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    check(context);
  };
}
