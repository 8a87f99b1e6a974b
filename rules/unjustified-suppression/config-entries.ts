/**
 * The entries of a `.medsec.json` `suppressions` list that suppress nothing, located in the file. The
 * configuration loader judges the same entries with the same function (assessConfigSuppression), so what
 * is reported here is exactly what the engine did not apply.
 */
import { getNodeValue, parseTree, type Node as JsonNode } from 'jsonc-parser';
import type { JustificationPolicy } from '../../shared/justification';
import { CONFIG_FILE_NAME } from '../../server/src/core/config';
import { assessConfigSuppression, type ConfigSuppressionSpec } from '../../server/src/core/suppressions';
import type { Span } from '../../server/src/core/types';

export interface EntryProblems {
  span: Span;
  problems: string[];
}

export function configSuppressionProblems(path: string, text: string, policy: JustificationPolicy | undefined): EntryProblems[] {
  if (path.split('/').pop() !== CONFIG_FILE_NAME) return [];
  const tree = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const list = propertyValue(tree, 'suppressions');
  if (list?.type !== 'array') return [];
  return (list.children ?? []).flatMap((node): EntryProblems[] => {
    const entry = getNodeValue(node) as Partial<ConfigSuppressionSpec> | null;
    // A malformed entry is the configuration loader's to report, with its position.
    if (!entry || typeof entry !== 'object' || typeof entry.justification !== 'string') return [];
    const { problems } = assessConfigSuppression(entry as ConfigSuppressionSpec, policy);
    if (!problems.length) return [];
    const at = propertyValue(node, 'justification') ?? node;
    return [{ span: { start: at.offset, end: at.offset + at.length }, problems }];
  });
}

function propertyValue(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  return node.children?.find((property) => property.children?.[0]?.value === key)?.children?.[1];
}
