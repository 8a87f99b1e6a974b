/**
 * `medsec inventory [paths..]`: every algorithm, key length, TLS version, endpoint and credential the code
 * uses, as a CycloneDX 1.6 CBOM (default), Markdown or JSON. Always exits 0 unless the arguments or the
 * configuration are wrong: an inventory is documentation, not a gate.
 */
import * as path from 'path';
import { builtinRegistry } from '../../builtin-registry';
import { toolVersion } from '../../core/version';
import { formatCbom } from '../../inventory/cbom';
import { collectInventory } from '../../inventory/collect';
import { formatInventoryJson, formatInventoryMarkdown } from '../../inventory/format';
import { EXIT } from '../errors';
import { writeReport } from '../write-report';
import { filesRead, scanForCommand } from './scan';

export const INVENTORY_FORMATS = ['cbom', 'markdown', 'json'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

export interface InventoryCommandOptions {
  format: InventoryFormat;
  output?: string;
  config?: string;
  followSymlinks?: boolean;
}

export async function runInventoryCommand(paths: string[], options: InventoryCommandOptions): Promise<number> {
  const result = await scanForCommand(paths, options, builtinRegistry);
  const inventory = await collectInventory(result);
  const tool = { name: 'medsec', version: toolVersion() };
  const text =
    options.format === 'cbom'
      ? formatCbom(inventory, {
          toolVersion: tool.version,
          subject: path.basename(paths.length === 1 ? path.resolve(paths[0]) : result.root),
        })
      : options.format === 'markdown'
        ? formatInventoryMarkdown(inventory, tool)
        : formatInventoryJson(inventory, tool);
  writeReport(text, options.output, filesRead(result));
  return EXIT.ok;
}
