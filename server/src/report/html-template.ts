/**
 * HTML that escapes by default. `html` is a tagged template: every value interpolated into it is escaped,
 * unless it is itself markup made by `html` (or, for markup written elsewhere such as the stylesheet,
 * explicitly marked with `trustedMarkup`). A forgotten escape therefore shows markup as text instead of
 * injecting it into a security report.
 *
 *   html`<td>${finding.message}</td>`          escaped: `<script>` becomes `&lt;script&gt;`
 *   html`<tr>${cells}</tr>`                    an array of Html (or strings) is joined, each part as above
 *   html`${cond && html`<b>!</b>`}`            false, null and undefined render as nothing
 */
import { escapeHtml } from './escape';

/** A key no other module can name, so that a plain `{ markup }` object does not type-check as Html. */
declare const htmlBrand: unique symbol;

/** Markup that is safe to insert as is. The class is not exported: only this module makes markup. */
class Markup {
  declare readonly [htmlBrand]: true;
  constructor(readonly markup: string) {}
}
export type Html = Markup;

export type HtmlValue = Html | string | number | false | null | undefined | readonly HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let markup = strings[0];
  for (let index = 0; index < values.length; index++) markup += render(values[index]) + strings[index + 1];
  return new Markup(markup);
}

/** The values rendered as `html` would, with `separator` between them. */
export function joinHtml(values: readonly HtmlValue[], separator: Html | string): Html {
  return new Markup(values.map(render).join(render(separator)));
}

/** Markup written by the programmer (the stylesheet), not built from data: inserted without escaping. */
export function trustedMarkup(markup: string): Html {
  return new Markup(markup);
}

function render(value: HtmlValue): string {
  if (value instanceof Markup) return value.markup;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(String(value));
}
