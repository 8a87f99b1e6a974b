/**
 * Reads the attributes and comments of an XML file (AndroidManifest.xml) with saxes, a conforming
 * pure-JS XML parser, and maps each back to exact source offsets for finding spans and fixes.
 *
 * No DTD is processed: an internal subset is read as text and references to the entities it declares are
 * left unexpanded (saxes reports them as undefined), so an entity-expansion ("billion laughs") file costs
 * no more than its own size. The parser recovers from errors, so a manifest being edited still yields
 * the attributes it can read.
 */
import { SaxesParser } from 'saxes';
import type { Span } from '../span';

export interface XmlAttribute {
  /** The name of the element that carries it (`application`). */
  element: string;
  /** As written, with any prefix (`android:debuggable`). */
  name: string;
  /** The value as written between the quotes: entity and character references are not decoded. */
  value: string;
  nameSpan: Span;
  valueSpan: Span;
  /** From the start of the name to after the closing quote. */
  span: Span;
}

/**
 * An element with its place in the tree: rules that need nesting (a `<certificates>` inside
 * `<debug-overrides>`, an `<intent-filter>` of an `<activity>`) read these; flat rules read the attributes.
 */
export interface XmlElement {
  name: string;
  /** Index of the parent in the element list, -1 for the root. Parents come before their children. */
  parent: number;
  /** The start tag, from `<` to `>` (or to where the parser stopped). */
  span: Span;
  /** This element's attributes, in source order. */
  attributes: XmlAttribute[];
  /** Its own character data (not its children's), trimmed: `example.com` of `<domain>example.com</domain>`. */
  text: string;
}

export interface XmlComment extends Span {
  /** The whole comment, `<!--` and `-->` included. */
  text: string;
}

export function readXml(text: string): { attributes: XmlAttribute[]; comments: XmlComment[]; elements: XmlElement[] } {
  const attributes: XmlAttribute[] = [];
  const comments: XmlComment[] = [];
  const elements: XmlElement[] = [];
  /** Indexes of the elements still open, innermost last. */
  const open: number[] = [];
  const parser = new SaxesParser({ xmlns: false, position: true });
  let element = '';
  parser.on('error', () => undefined); // recover and go on: what follows an error is still read
  parser.on('opentagstart', (tag) => {
    element = tag.name;
    const start = Math.max(text.lastIndexOf('<', parser.position - 1), 0);
    const parent = open.length ? open[open.length - 1] : -1;
    open.push(elements.length);
    elements.push({ name: tag.name, parent, span: { start, end: parser.position }, attributes: [], text: '' });
  });
  parser.on('attribute', ({ name }) => {
    const attribute = locateAttribute(text, element, name, parser.position);
    if (!attribute) return;
    attributes.push(attribute);
    if (open.length) elements[open[open.length - 1]].attributes.push(attribute);
  });
  parser.on('opentag', () => {
    if (open.length) elements[open[open.length - 1]].span.end = parser.position;
  });
  parser.on('closetag', (tag) => {
    // saxes also reports a self-closing tag here. After an error, close up to the element named, if open.
    const at = open.map((i) => elements[i].name).lastIndexOf(tag.name);
    if (at >= 0) open.length = at;
  });
  parser.on('text', (data) => {
    if (open.length && data.trim()) elements[open[open.length - 1]].text += data.trim();
  });
  parser.on('comment', () => {
    // The reported text has its line ends normalised; the source from `<!--` to `-->` is what was written.
    const close = text.indexOf('-->', parser.position - '-->'.length);
    const start = close < 0 ? -1 : text.lastIndexOf('<!--', close);
    if (start < 0) return;
    const end = close + '-->'.length;
    comments.push({ start, end, text: text.slice(start, end) });
  });
  parser.write(text).close();
  return { attributes, comments, elements };
}

/**
 * The spans of the attribute `name` whose value's closing quote ends just before `end` (where saxes stands
 * when it reports the attribute). Undefined for an unquoted value, which is an error the parser recovered from.
 */
function locateAttribute(text: string, element: string, name: string, end: number): XmlAttribute | undefined {
  const quote = text[end - 1];
  if (quote !== '"' && quote !== "'") return undefined;
  const open = text.lastIndexOf(quote, end - 2);
  if (open < 0) return undefined;
  let nameEnd = open;
  while (nameEnd > 0 && /[\s=]/.test(text[nameEnd - 1])) nameEnd--;
  const nameStart = nameEnd - name.length;
  if (nameStart < 0 || text.slice(nameStart, nameEnd) !== name) return undefined;
  return {
    element,
    name,
    value: text.slice(open + 1, end - 1),
    nameSpan: { start: nameStart, end: nameEnd },
    valueSpan: { start: open + 1, end: end - 1 },
    span: { start: nameStart, end },
  };
}
