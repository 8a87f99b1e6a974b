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

/**
 * A variable reassigned from itself `times` times, then compared with request input and used as a cipher
 * name and key: every definition is a may-definition of the next, so paths through them multiply (vendored
 * jQuery's `s = s + …` made the flow layer overflow the stack before issue 10).
 */
export function selfReassignedChain(language: 'python' | 'javascript' | 'c', times: number): string {
  const lines = Array.from({ length: times }, (_, i) => i);
  if (language === 'python')
    return `s = "a"\n${lines.map((i) => `s = s + "x${i}" + s\n`).join('')}if s == request.args["token"]:\n    AES.new(s, AES.MODE_ECB)\n`;
  if (language === 'javascript')
    return `var s = "a";\n${lines.map((i) => `s = s + "x${i}" + s;\n`).join('')}if (s == req.query.token) require("crypto").createCipheriv(s, s, iv);\n`;
  return `void f(const char *token) {\n  const char *s = "a";\n${lines.map(() => `  s = ready ? s : s;\n`).join('')}  if (strcmp(s, token) == 0) mbedtls_aes_setkey_enc(&aes, (const unsigned char *)s, 128);\n}\n`;
}

/** A Java string concatenation of `terms` literals (one expression nested `terms` deep), compared with input and used as a cipher name. */
export function javaConcatenation(terms: number): string {
  const parts = Array.from({ length: terms }, (_, i) => `"p${i}"`).join(' + ');
  return `class Chain {\n  void f(String token) throws Exception {\n    String s = ${parts};\n    if (s.equals(token)) Cipher.getInstance(s);\n  }\n}\n`;
}
