/**
 * Joins the SARIF of `medsec scan --shard i/n` runs into one run, equal to what one unsharded scan writes
 * (apart from invocation timing): results in the scan's order (path, line, column, rule), rules
 * deduplicated by id with `ruleIndex` recomputed, artifacts unioned, one invocation that succeeded only
 * if every shard did. Logs from different medsec versions or configurations are refused: their union
 * would describe no scan that ever ran.
 */
import type * as Sarif from 'sarif';
import { UsageError } from '../errors';
import { conditionsStand, deriveProjectFacts } from '../../core/project-facts';
import type { ProjectCondition, ProjectConditions } from '../../core/types';

export interface SarifInput {
  /** Where it came from, for messages. */
  file: string;
  log: Sarif.Log;
}

export interface MergedSarif {
  log: Sarif.Log;
  /** Things worth a line on stderr that do not stop the merge (a shard missing from the set). */
  warnings: string[];
  /** Files the shards scanned, summed from their `properties.shard.filesScanned`; undefined when unknown. */
  filesScanned?: number;
}

interface ShardProperty {
  index: number;
  count: number;
  filesScanned?: number;
}

/** Notification kinds in the order buildSarif writes them; other kinds follow in order of appearance. */
const NOTIFICATION_ORDER = ['rule-failure', 'file-skipped'];

export function mergeSarif(inputs: readonly SarifInput[]): MergedSarif {
  if (inputs.length === 0) throw new UsageError('medsec merge needs at least one SARIF file');
  const runs = inputs.flatMap(({ file, log }) => {
    if (!log || log.version !== '2.1.0' || !Array.isArray(log.runs)) {
      throw new UsageError(`${file} is not a SARIF 2.1.0 log; pass the files that \`medsec scan --format sarif\` wrote`);
    }
    return log.runs.map((run) => ({ file, run }));
  });
  if (runs.length === 0) throw new UsageError(`${inputs[0].file} holds no SARIF run`);
  checkCompatible(runs);
  const warnings: string[] = [];
  const shards = checkShards(runs);

  const first = runs[0].run;
  const results = resolveShardConditions(
    runs.map(({ run }) => run),
    runs.flatMap(({ run }) => run.results ?? []).map((result) => structuredClone(result)),
  );
  stableSort(results, compareResults);

  const invocations = runs.flatMap(({ run }) => run.invocations ?? []);
  const notifications = mergeNotifications(invocations.map((invocation) => invocation.toolExecutionNotifications ?? []));
  const configurationNotifications = dedupe(
    invocations.flatMap((invocation) => invocation.toolConfigurationNotifications ?? []).map((n) => structuredClone(n)),
  );

  const rules = mergeRules(
    runs.map(({ run }) => run.tool.driver.rules ?? []),
    results,
    notifications,
  );
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const artifacts = mergeArtifacts(runs.map(({ run }) => run));
  const artifactIndex = artifacts && new Map(artifacts.map((artifact, index) => [artifact.location?.uri ?? '', index]));

  for (const result of results) {
    if (result.ruleId !== undefined && ruleIndex.has(result.ruleId)) {
      if (result.ruleIndex !== undefined) result.ruleIndex = ruleIndex.get(result.ruleId);
      if (result.rule) result.rule.index = ruleIndex.get(result.ruleId);
    }
    if (artifactIndex) {
      for (const location of result.locations ?? []) reindexArtifact(location.physicalLocation?.artifactLocation, artifactIndex);
    }
  }
  for (const notification of [...notifications, ...configurationNotifications]) {
    const associated = notification.associatedRule;
    if (associated?.id !== undefined && associated.index !== undefined && ruleIndex.has(associated.id)) {
      associated.index = ruleIndex.get(associated.id);
    }
    if (artifactIndex) {
      for (const location of notification.locations ?? []) reindexArtifact(location.physicalLocation?.artifactLocation, artifactIndex);
    }
  }

  const run: Sarif.Run = { ...first, tool: { ...first.tool, driver: { ...first.tool.driver, rules } } };
  if (first.invocations) run.invocations = [mergeInvocation(invocations, notifications, configurationNotifications)];
  if (artifacts) run.artifacts = artifacts;
  if (first.results || results.length > 0) run.results = results;
  const filesScanned =
    shards && shards.every((shard) => typeof shard.filesScanned === 'number')
      ? shards.reduce((sum, shard) => sum + (shard.filesScanned ?? 0), 0)
      : undefined;
  return { log: { ...inputs[0].log, runs: [run] }, warnings, filesScanned };
}

/** Same tool, same version, same configuration (by its hash when the logs carry one). */
function checkCompatible(runs: { file: string; run: Sarif.Run }[]): void {
  const describe = (run: Sarif.Run) =>
    `${run.tool.driver.name} ${run.tool.driver.version ?? run.tool.driver.semanticVersion ?? '(no version)'}`;
  const base = runs[0];
  for (const other of runs.slice(1)) {
    if (describe(other.run) !== describe(base.run)) {
      throw new UsageError(
        `cannot merge ${other.file} (${describe(other.run)}) with ${base.file} (${describe(base.run)}): rescan every ` +
          `shard with the same medsec version`,
      );
    }
    if (configurationKey(other.run) !== configurationKey(base.run)) {
      throw new UsageError(
        `cannot merge ${other.file} with ${base.file}: they were scanned with different configurations; rescan every ` +
          `shard with the same .medsec.json`,
      );
    }
  }
}

function configurationKey(run: Sarif.Run): string | undefined {
  const properties = run.invocations?.[0]?.properties as Record<string, unknown> | undefined;
  const configuration = properties?.configuration as Record<string, unknown> | undefined;
  const hash = configuration?.sha256 ?? configuration?.hash ?? properties?.configurationHash;
  if (typeof hash === 'string') return hash;
  return configuration === undefined ? undefined : JSON.stringify(configuration);
}

function shardOf(run: Sarif.Run): ShardProperty | undefined {
  const shard = (run.invocations?.[0]?.properties as Record<string, unknown> | undefined)?.shard as ShardProperty | undefined;
  return shard && typeof shard.index === 'number' && typeof shard.count === 'number' ? shard : undefined;
}

/** The shards must be of one split, each exactly once: a missing shard would make a different report. */
function checkShards(runs: { file: string; run: Sarif.Run }[]): ShardProperty[] | undefined {
  const shards = runs.map(({ file, run }) => ({ file, shard: shardOf(run) }));
  if (shards.every(({ shard }) => !shard)) return undefined;
  const unsharded = shards.find(({ shard }) => !shard);
  if (unsharded) {
    throw new UsageError(`cannot merge ${unsharded.file}: it is not a shard (scan it with --shard i/n) but the other files are`);
  }
  const count = shards[0].shard!.count;
  const seen = new Map<number, string>();
  for (const { file, shard } of shards) {
    if (shard!.count !== count) {
      throw new UsageError(
        `cannot merge ${file} (shard ${shard!.index}/${shard!.count}) with ${shards[0].file} (shard ` +
          `${shards[0].shard!.index}/${count}): every shard must come from one --shard i/${count} split`,
      );
    }
    const previous = seen.get(shard!.index);
    if (previous) throw new UsageError(`${file} and ${previous} are both shard ${shard!.index}/${count}; pass each shard once`);
    seen.set(shard!.index, file);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index));
  if (missing.length > 0) {
    throw new UsageError(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((index) => `${index}/${count}`).join(', ')} missing: pass ` +
        `all ${count} shards (a finding in one shard can be answered by a file in another, so a partial merge is not ` +
        'the report of any scan)',
    );
  }
  return shards.map(({ shard }) => shard!);
}

/**
 * The scan lists enabled rules first (the same in every shard: the longest common prefix), then rules in
 * order of first use by a result, then by a notification. Doing the same on the merged results gives
 * the unsharded order.
 */
function mergeRules(
  lists: Sarif.ReportingDescriptor[][],
  results: Sarif.Result[],
  notifications: Sarif.Notification[],
): Sarif.ReportingDescriptor[] {
  const byId = new Map<string, Sarif.ReportingDescriptor>();
  for (const list of lists) for (const rule of list) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  let prefix = 0;
  while (lists.every((list) => prefix < list.length && list[prefix].id === lists[0][prefix].id)) prefix++;
  const order: string[] = lists[0].slice(0, prefix).map((rule) => rule.id);
  const placed = new Set(order);
  const place = (id: string | undefined) => {
    if (id !== undefined && byId.has(id) && !placed.has(id)) {
      placed.add(id);
      order.push(id);
    }
  };
  for (const result of results) place(result.ruleId ?? result.rule?.id);
  for (const notification of notifications) place(notification.associatedRule?.id);
  for (const id of byId.keys()) place(id);
  return order.map((id) => structuredClone(byId.get(id)!));
}

function mergeNotifications(lists: Sarif.Notification[][]): Sarif.Notification[] {
  // Per-file notifications are unique to their shard; one without a location (a configuration warning
  // every shard repeats) is kept once.
  const all = dedupe(
    lists.flat().map((notification) => structuredClone(notification)),
    (notification) => !notification.locations?.length,
  );
  const kinds: string[] = [];
  for (const notification of all) {
    const kind = notification.descriptor?.id ?? '';
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  const rank = (kind: string) =>
    NOTIFICATION_ORDER.includes(kind) ? NOTIFICATION_ORDER.indexOf(kind) : NOTIFICATION_ORDER.length + kinds.indexOf(kind);
  return stableSort(
    all,
    (a, b) => rank(a.descriptor?.id ?? '') - rank(b.descriptor?.id ?? '') || compareStrings(notificationPath(a), notificationPath(b)),
  );
}

function mergeInvocation(
  invocations: Sarif.Invocation[],
  notifications: Sarif.Notification[],
  configurationNotifications: Sarif.Notification[],
): Sarif.Invocation {
  const merged: Sarif.Invocation = {
    ...structuredClone(invocations[0]),
    executionSuccessful: invocations.every((invocation) => invocation.executionSuccessful),
  };
  if (invocations.some((invocation) => invocation.toolExecutionNotifications)) merged.toolExecutionNotifications = notifications;
  if (invocations.some((invocation) => invocation.toolConfigurationNotifications)) {
    merged.toolConfigurationNotifications = configurationNotifications;
  }
  const starts = invocations
    .map((invocation) => invocation.startTimeUtc)
    .filter((time): time is string => !!time)
    .sort();
  const ends = invocations
    .map((invocation) => invocation.endTimeUtc)
    .filter((time): time is string => !!time)
    .sort();
  if (starts.length) merged.startTimeUtc = starts[0];
  if (ends.length) merged.endTimeUtc = ends[ends.length - 1];
  if (merged.properties && 'shard' in merged.properties) {
    const { shard: _shard, ...rest } = merged.properties;
    if (Object.keys(rest).length > 0) merged.properties = rest;
    else delete merged.properties;
  }
  return merged;
}

/** Artifacts unioned by URI, in path order; undefined when no run lists any. */
function mergeArtifacts(runs: Sarif.Run[]): Sarif.Artifact[] | undefined {
  if (!runs.some((run) => run.artifacts)) return undefined;
  const byUri = new Map<string, Sarif.Artifact>();
  for (const run of runs)
    for (const artifact of run.artifacts ?? []) {
      const uri = artifact.location?.uri ?? '';
      if (!byUri.has(uri)) byUri.set(uri, structuredClone(artifact));
    }
  return [...byUri.values()].sort((a, b) => compareStrings(uriPath(a.location?.uri), uriPath(b.location?.uri)));
}

function reindexArtifact(location: Sarif.ArtifactLocation | undefined, index: Map<string, number>): void {
  if (location?.index !== undefined && location.uri !== undefined && index.has(location.uri)) location.index = index.get(location.uri);
}

/** The scan's order: path, line, column, rule id (format/results.ts `sortedFindings`). */
function compareResults(a: Sarif.Result, b: Sarif.Result): number {
  const la = a.locations?.[0]?.physicalLocation;
  const lb = b.locations?.[0]?.physicalLocation;
  return (
    compareStrings(uriPath(la?.artifactLocation?.uri), uriPath(lb?.artifactLocation?.uri)) ||
    (la?.region?.startLine ?? 0) - (lb?.region?.startLine ?? 0) ||
    (la?.region?.startColumn ?? 0) - (lb?.region?.startColumn ?? 0) ||
    compareStrings(a.ruleId ?? '', b.ruleId ?? '')
  );
}

function notificationPath(notification: Sarif.Notification): string {
  return uriPath(notification.locations?.[0]?.physicalLocation?.artifactLocation?.uri);
}

/** The relative path an artifact URI was made from (each segment is percent-encoded). */
export function uriPath(uri: string | undefined): string {
  if (!uri) return '';
  return uri
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

/** Identical entries once (only those `applies` picks; the others are all kept). */
function dedupe<T>(items: T[], applies: (item: T) => boolean = () => true): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (!applies(item)) return true;
    const key = JSON.stringify(item);
    return !seen.has(key) && !!seen.add(key);
  });
}

function stableSort<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  const indexed = items.map((item, index) => ({ item, index }));
  indexed.sort((a, b) => compare(a.item, b.item) || a.index - b.index);
  indexed.forEach(({ item }, index) => (items[index] = item));
  return items;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Facts = Map<string, Map<string, Set<string>>>;

/**
 * Shards leave project facts unresolved (format/sarif.ts): drop the results another file of the same project
 * answers, remove the condition properties, and renumber the occurrence part of the fingerprints of the files
 * that lost results, so the merged log equals the unsharded one.
 */
function resolveShardConditions(runs: Sarif.Run[], results: Sarif.Result[]): Sarif.Result[] {
  const facts: Facts = new Map();
  for (const run of runs) {
    const shard = (run.invocations?.[0]?.properties as Record<string, unknown> | undefined)?.shard as
      { facts?: Record<string, Record<string, Record<string, string[]>>> } | undefined;
    for (const [project, byRule] of Object.entries(shard?.facts ?? {})) {
      const known = facts.get(project) ?? new Map<string, Set<string>>();
      facts.set(project, known);
      for (const [ruleId, byFact] of Object.entries(byRule)) {
        for (const [fact, values] of Object.entries(byFact)) {
          const key = `${ruleId}\u0000${fact}`;
          known.set(key, new Set([...(known.get(key) ?? []), ...values]));
        }
      }
    }
  }
  deriveProjectFacts(facts);
  const touched = new Set<string>();
  const kept = results.filter((result) => {
    const properties = result.properties as Record<string, unknown> | undefined;
    const unless = properties?.unless as ProjectConditions | undefined;
    const when = properties?.when as ProjectConditions | undefined;
    if (!unless && !when) return true;
    const provided = (condition: ProjectCondition) => {
      const values = facts.get(String(properties?.project ?? ''))?.get(`${result.ruleId}\u0000${condition.fact}`);
      return !!values && condition.anyOf.some((value) => values.has(value));
    };
    const stands = conditionsStand({ when, unless }, provided);
    delete properties!.unless;
    delete properties!.when;
    delete properties!.project;
    if (stands) return true;
    touched.add(resultUri(result));
    return false;
  });
  if (touched.size) renumberOccurrences(kept.filter((result) => touched.has(resultUri(result))));
  return kept;
}

function resultUri(result: Sarif.Result): string {
  return result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
}

/** `key:occurrence` fingerprints count occurrences within a file in source order: count them again. */
function renumberOccurrences(results: Sarif.Result[]): void {
  const inOrder = [...results];
  stableSort(inOrder, compareResults);
  const counters = new Map<string, number>();
  const next = (uri: string, value: string) => {
    const key = `${uri}\u0000${value.slice(0, value.lastIndexOf(':'))}`;
    const occurrence = (counters.get(key) ?? 0) + 1;
    counters.set(key, occurrence);
    return `${value.slice(0, value.lastIndexOf(':'))}:${occurrence}`;
  };
  for (const result of inOrder) {
    const uri = resultUri(result);
    const line = result.partialFingerprints?.primaryLocationLineHash;
    if (line?.includes(':')) result.partialFingerprints!.primaryLocationLineHash = next(`line\u0000${uri}`, line);
    const properties = result.properties as Record<string, unknown> | undefined;
    if (typeof properties?.fingerprint === 'string' && properties.fingerprint.includes(':')) {
      properties.fingerprint = next(`content\u0000${uri}`, properties.fingerprint);
    }
  }
}
