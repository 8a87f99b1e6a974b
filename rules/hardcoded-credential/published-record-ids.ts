/**
 * Record ids published in their own links: a list of records of one shape (`[{ name, key, url }, …]`, a device
 * or patient table a web page renders) where a credential-named entry's value is also a whole path segment of a
 * URL in the same record (`key: 'Sb6u…', url: 'https://registry.example/history/Sb6u…'`). The value is already
 * public in the link every record carries: it names the record's page, it does not unlock anything.
 *
 * Not this: a value in a URL's query (`?key=…`, `?token=…`: a credential sent in the URL), a single configuration
 * object (a webhook URL that holds its key in the path), records whose credential is in no URL of theirs.
 */
import type { Binding, CodeModel, Expr } from '../../server/src/core/model/types';

/** Fewer records than this is a few settings, not a table of records. */
const MIN_RECORDS = 3;
/** Shorter values are too common to tell a published id from a coincidence. */
const MIN_LENGTH = 8;

/** Maps the start of each object literal that is an element of an array literal to that array. */
export function recordLists(model: CodeModel): Map<number, Expr> {
  const lists = new Map<number, Expr>();
  const seen = new Set<Expr>();
  const visit = (expr: Expr) => {
    if (seen.has(expr)) return;
    seen.add(expr);
    for (const element of expr.elements ?? []) {
      if (element.entries) lists.set(element.start, expr);
      visit(element);
    }
    for (const entry of expr.entries ?? []) visit(entry.value);
  };
  for (const binding of model.bindings) if (binding.value.elements) visit(binding.value);
  return lists;
}

/** Whether `value` is a whole segment of the path of the http(s) URL `url` (not of its query or fragment). */
function isPathSegmentOf(value: string, url: string): boolean {
  const m = /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)/i.exec(url.trim());
  return !!m && m[1].split('/').includes(value);
}

/** The keys of a record, in a canonical order: records of one table share them. */
function shapeOf(record: Expr): string {
  return (record.entries ?? [])
    .map((e) => e.key)
    .sort()
    .join('\u0000');
}

/**
 * Whether a property binding holds the id of a record that a URL of the same record publishes, in a list of
 * records of one shape.
 */
export function isPublishedRecordId(binding: Binding, parents: Map<number, Expr>, lists: Map<number, Expr>): boolean {
  const value = binding.value.kind === 'string' ? binding.value.value : undefined;
  if (binding.kind !== 'property' || !value || value.length < MIN_LENGTH) return false;
  const record = parents.get(binding.value.start);
  const list = record && lists.get(record.start);
  if (!record || !list) return false;
  const published = (record.entries ?? []).some(
    (e) => e.value.start !== binding.value.start && e.value.kind === 'string' && isPathSegmentOf(value, e.value.value ?? ''),
  );
  if (!published) return false;
  const shape = shapeOf(record);
  return (list.elements ?? []).filter((element) => element.entries && shapeOf(element) === shape).length >= MIN_RECORDS;
}

/** Every whole path segment of the http(s) URLs written in a text (not their query or fragment). */
function publishedSegments(content: string): Set<string> {
  const segments = new Set<string>();
  for (const m of content.matchAll(/https?:\/\/[^/?#\s"'`<>]+(\/[^?#\s"'`<>]*)/gi)) {
    for (const segment of m[1].split('/')) if (segment.length >= MIN_LENGTH) segments.add(segment);
  }
  return segments;
}

/**
 * The same in a file read as text (an HTML page's inline data, a JSON export): the names assigned, at least
 * MIN_RECORDS times, values that are each a path segment of a URL in the file (`"childKey": "Sb6u…"` beside
 * `"childUrl": "https://…/history/Sb6u…"` in every record). A value assigned to such a name is a published id.
 */
export function publishedRecordIdNames(content: string, hits: readonly { name?: string; value: string }[]): Set<string> {
  const names = new Set<string>();
  if (hits.length < MIN_RECORDS) return names;
  const segments = publishedSegments(content);
  const counts = new Map<string, Set<string>>();
  for (const hit of hits) {
    if (!hit.name || hit.value.length < MIN_LENGTH || !segments.has(hit.value)) continue;
    const values = counts.get(hit.name) ?? new Set<string>();
    values.add(hit.value);
    counts.set(hit.name, values);
  }
  for (const [name, values] of counts) if (values.size >= MIN_RECORDS) names.add(name);
  return names;
}
