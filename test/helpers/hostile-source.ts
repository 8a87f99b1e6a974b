/**
 * Sources that made medsec slow before issue 12: a minified bundle (every binding, string, function, call
 * and `if` on one line) and long operator chains. Deterministic, so a test and the benchmark see the same text.
 */

/** One line of minified JavaScript, `bytes` long or a little more: functions with env fallbacks, verifications, downloads and callbacks. */
export function minifiedBundle(bytes: number): string {
  const units: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const unit =
      `function u${i}(e,t){var n=process.env.API_TOKEN_${i}||"fb${i}Q7x!k2Lm9",a=h(e,"k${i}");` +
      `if(e.v${i}){return t.verify(e,n)}if(!a){a=[${i},${i + 1}]}` +
      `var r=fetch("https://cdn.example.com/p/"+e).then(function(o){return o.json()});return r}`;
    units.push(unit);
    length += unit.length;
  }
  return `!function(){${units.join(';')}}();`;
}

/** `int f(int a){ return a+a+…+a; }` with `terms` terms: one expression nested `terms` deep. */
export function cArithmeticChain(terms: number): string {
  return `int f(int a){ return ${Array(terms).fill('a').join('+')}; }\n`;
}

/** `x = "a"+"a"+…` with `terms` string literals. */
export function pythonStringChain(terms: number): string {
  return `x = ${Array(terms).fill('"a"').join('+')}\n`;
}
