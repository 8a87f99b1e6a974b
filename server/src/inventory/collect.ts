/**
 * Builds the inventory for a finished scan: re-reads and re-parses each checked file (the scan does not
 * keep code models), extracts its entries with `extractInventory`, and merges equal entries across files.
 * Credentials come from the scan's own `hardcoded-credential` findings, so they are already redacted.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseFile } from '../core/check';
import { keyContainerSource } from '../core/key-container';
import { decodeSource, looksBinary } from '../core/text';
import type { ScanResult } from '../core/types';
import { extractInventory } from './extract';
import type { InventoryAsset, Inventory, Occurrence } from './types';
import { pushAll } from '../core/arrays';

export async function collectInventory(result: ScanResult): Promise<Inventory> {
  const assets: InventoryAsset[] = [];
  const notes: Inventory['notes'] = [];
  let files = 0;
  for (const file of result.files) {
    let bytes: Uint8Array;
    try {
      bytes = await fs.promises.readFile(path.join(result.root, file.path));
    } catch (error) {
      notes.push({ path: file.path, message: `not re-read for the inventory (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
      continue;
    }
    const container = file.language === 'key-container' ? keyContainerSource(bytes) : undefined;
    if (looksBinary(bytes) && container === undefined) continue;
    const { text, invalidUtf8 } = container !== undefined ? { text: container, invalidUtf8: false } : decodeSource(bytes);
    const parsed = await parseFile({
      path: path.join(result.root, file.path),
      relativePath: file.path,
      text,
      language: file.language,
      invalidUtf8,
    });
    try {
      pushAll(
        assets,
        extractInventory({
          path: file.path,
          language: parsed.language,
          text: parsed.text,
          model: parsed.model,
          findings: file.findings,
        }),
      );
      files++;
    } finally {
      parsed.tree?.delete();
    }
  }
  return mergeInventory(assets, files, notes);
}

/** The identity of an entry: equal keys are one entry with several occurrences. */
function keyOf(asset: InventoryAsset): string {
  switch (asset.kind) {
    case 'algorithm':
      return `a|${asset.name}`;
    case 'protocol':
      return `p|${asset.name}`;
    case 'endpoint':
      return `e|${asset.url}`;
    case 'credential':
      return `c|${asset.source}|${asset.material}|${asset.name}|${asset.redactedSnippet ?? ''}`;
  }
}

/** One occurrence per file and function for algorithms and protocols (an API called six times in one function is one use). */
function occurrenceKey(asset: InventoryAsset, occurrence: Occurrence): string {
  if ((asset.kind === 'algorithm' || asset.kind === 'protocol') && occurrence.function) {
    return `${occurrence.path}|fn:${occurrence.function}`;
  }
  return `${occurrence.path}|${occurrence.line}`;
}

export function mergeInventory(assets: InventoryAsset[], files: number, notes: Inventory['notes'] = []): Inventory {
  const merged = new Map<string, InventoryAsset>();
  const seenOccurrences = new Set<string>();
  for (const asset of assets) {
    const key = keyOf(asset);
    let target = merged.get(key);
    if (!target) {
      target = { ...asset, occurrences: [] } as InventoryAsset;
      merged.set(key, target);
    }
    for (const occurrence of asset.occurrences) {
      const occurrenceId = `${key}#${occurrenceKey(asset, occurrence)}`;
      if (seenOccurrences.has(occurrenceId)) continue;
      seenOccurrences.add(occurrenceId);
      target.occurrences.push(occurrence);
    }
  }
  const all = [...merged.values()];
  for (const asset of all) asset.occurrences.sort((a, b) => compare(a.path, b.path) || a.line - b.line);
  const byName = (a: { name?: string; url?: string }, b: { name?: string; url?: string }) =>
    compare(a.name ?? a.url ?? '', b.name ?? b.url ?? '');
  const byFirstOccurrence = (a: { occurrences: { path: string; line: number }[] }, b: { occurrences: { path: string; line: number }[] }) =>
    compare(a.occurrences[0].path, b.occurrences[0].path) || a.occurrences[0].line - b.occurrences[0].line;
  return {
    algorithms: all.filter((a) => a.kind === 'algorithm').sort(byName),
    protocols: all.filter((a) => a.kind === 'protocol').sort(byName),
    endpoints: all.filter((a) => a.kind === 'endpoint').sort(byName),
    credentials: all.filter((a) => a.kind === 'credential').sort(byFirstOccurrence),
    files,
    notes,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
