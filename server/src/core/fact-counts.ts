/**
 * Project facts kept counted with the scan index, so that a re-scan that checks a few files can settle the
 * project facts without the cached facts of every other file (project-facts.ts resolves from all of them):
 * per project, how many files provide each value of each fact. An edited file's old facts are subtracted and
 * its new ones added; only a value whose count crosses zero changes what the project provides, and only
 * findings whose conditions read a fact that changed (after closing under the derivations, derived-facts.ts)
 * need resolving again.
 */
import { closeDerivedFacts } from './derived-facts';
import { isAnswered, isConfirmed, type ProjectFacts } from './project-facts';
import type { FileResult } from './types';

/** `ruleId\0fact` → value → how many files of the project provide it. */
type Counts = Map<string, Map<string, number>>;

export interface FactCounts {
  /**
   * Per file whose result provides facts or holds a conditional finding, its project. The result that was
   * counted is the file's cache entry: only a whole-tree scan writes this record, and a scan of some files,
   * which replaces entries, drops it (cli/result-cache.ts).
   */
  files: Map<string, string>;
  /** Per project, what its files provide. */
  projects: Map<string, Counts>;
}

/** The counted facts of a whole-tree scan's files (project facts resolved or not: the facts stay on the files). */
export function countFacts(files: readonly FileResult[]): FactCounts {
  const counts: FactCounts = { files: new Map(), projects: new Map() };
  for (const file of files) {
    if (file.project === undefined) continue; // neither provides facts nor reads them
    counts.files.set(file.path, file.project);
    addFacts(counts.projects, file.project, file.facts, 1);
  }
  return counts;
}

/** Counted facts as one line of JSON (Maps as arrays of pairs: no name can collide with an object's own keys). */
export function serializeFactCounts(counts: FactCounts): string {
  const projects = [...counts.projects].map(([project, byKey]) => [project, [...byKey].map(([key, byValue]) => [key, [...byValue]])]);
  return JSON.stringify({ files: [...counts.files], projects });
}

/** Counted facts from their line; undefined when it is not one. */
export function parseFactCounts(text: string | undefined): FactCounts | undefined {
  if (!text) return undefined;
  try {
    const data = JSON.parse(text) as { files: [string, string][]; projects: [string, [string, [string, number][]][]][] };
    const projects = new Map(
      data.projects.map(([project, byKey]) => [project, new Map(byKey.map(([key, values]) => [key, new Map(values)]))]),
    );
    return { files: new Map(data.files), projects };
  } catch {
    return undefined;
  }
}

/** Edits counted facts file by file, and says afterwards which facts of which projects changed. */
export class FactLedger {
  /** What each touched project provided before the first edit, closed under its derivations. */
  private readonly before = new Map<string, Map<string, Set<string>>>();
  private readonly closedNow = new Map<string, Map<string, Set<string>>>();

  constructor(readonly counts: FactCounts) {}

  /** The project a file was counted under, when it was counted. */
  counted(relativePath: string): string | undefined {
    return this.counts.files.get(relativePath);
  }

  /** Takes a counted file out (edited or deleted), given the result that was counted. */
  remove(relativePath: string, counted: FileResult): void {
    const project = this.counted(relativePath);
    if (project === undefined) return;
    this.touch(project);
    addFacts(this.counts.projects, project, counted.facts, -1);
    this.counts.files.delete(relativePath);
  }

  /** Counts a file's fresh result (one that provides facts or reads them: `project` set). */
  add(relativePath: string, result: FileResult): void {
    if (result.project === undefined) return;
    this.touch(result.project);
    this.counts.files.set(relativePath, result.project);
    addFacts(this.counts.projects, result.project, result.facts, 1);
  }

  /** Per touched project, the facts (`ruleId\0fact`) whose closed values differ from before the edits. */
  changed(): Map<string, Set<string>> {
    const changed = new Map<string, Set<string>>();
    for (const [project, before] of this.before) {
      const now = this.closed(project);
      const keys = new Set<string>();
      for (const key of new Set([...before.keys(), ...now.keys()])) if (!sameSet(before.get(key), now.get(key))) keys.add(key);
      if (keys.size) changed.set(project, keys);
    }
    return changed;
  }

  /** The result with its conditional findings settled by what its project provides now. */
  resolve(result: FileResult, project: string): FileResult {
    if (!result.findings.some((finding) => finding.when || finding.unless)) return result;
    const facts: ProjectFacts = new Map([[project, this.closed(project)]]);
    const findings = result.findings.filter((finding) => !isAnswered(finding, project, facts) && isConfirmed(finding, project, facts));
    return { ...result, findings };
  }

  private touch(project: string): void {
    if (!this.before.has(project)) this.before.set(project, closedOf(this.counts.projects.get(project)));
    this.closedNow.delete(project);
  }

  private closed(project: string): Map<string, Set<string>> {
    let closed = this.closedNow.get(project);
    if (!closed) this.closedNow.set(project, (closed = closedOf(this.counts.projects.get(project))));
    return closed;
  }
}

/** What counted facts provide (every value counted at least once), closed under their derivations. */
function closedOf(counts: Counts | undefined): Map<string, Set<string>> {
  const known = new Map<string, Set<string>>();
  for (const [key, values] of counts ?? []) if (values.size) known.set(key, new Set(values.keys()));
  closeDerivedFacts(known);
  return known;
}

function addFacts(projects: Map<string, Counts>, project: string, facts: FileResult['facts'], step: 1 | -1): void {
  if (!facts) return;
  let counts = projects.get(project);
  if (!counts) projects.set(project, (counts = new Map()));
  for (const [ruleId, byFact] of Object.entries(facts)) {
    for (const [fact, values] of Object.entries(byFact)) {
      const key = `${ruleId}\u0000${fact}`;
      let byValue = counts.get(key);
      if (!byValue) counts.set(key, (byValue = new Map()));
      // A file's values of a fact are a set (project-facts.ts): each counts once however often it is listed.
      for (const value of new Set(values)) {
        const count = (byValue.get(value) ?? 0) + step;
        if (count > 0) byValue.set(value, count);
        else byValue.delete(value);
      }
      if (!byValue.size) counts.delete(key);
    }
  }
}

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (!a || !b) return (a?.size ?? 0) === (b?.size ?? 0);
  if (a.size !== b.size) return false;
  for (const value of a) if (!b.has(value)) return false;
  return true;
}
