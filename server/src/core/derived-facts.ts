/**
 * Facts that follow from other facts of the same rule: a rule declares, from the file that knows it, that a value
 * of a fact holds when every one of some values holds (`APP_FW_UPDATE` on makes `MCUMGR_GRP_SHELL` on, because
 * a Kconfig file of the project says `select MCUMGR_GRP_SHELL` under it), optionally unless a file provides one of
 * some values directly (`imply` gives way to a `=n` in a configuration file). The project's facts are closed under
 * these derivations before conditional findings are decided, so a chain whose links sit in several files (a
 * symbol set in `prj.conf`, selecting one defined in `Kconfig.defconfig`, selecting another) is followed.
 *
 * A derivation travels as a value of a companion fact (`derivesFact(fact)`), so it goes wherever facts go: worker
 * results, the cache, shard logs that `medsec merge` resolves. Closing is the linear Horn-clause propagation: each
 * derivation counts its premises still missing, and fires when the count reaches zero.
 */

/** `then` holds when every value of `allOf` holds, and no value of any `noneOf` condition is provided directly. */
export interface Derivation {
  allOf: string[];
  then: string;
  /**
   * Values of facts of the same rule (this one or another) that block the derivation when a file provides them
   * itself. Only what files provide counts here, never a derived value, so the result does not depend on order.
   */
  noneOf?: { fact: string; anyOf: string[] }[];
}

const SUFFIX = '\u0001derives';

/** The companion fact whose values are the derivations of `fact`. */
export function derivesFact(fact: string): string {
  return `${fact}${SUFFIX}`;
}

/** A derivation as a fact value (stable, so identical derivations from several files are one). */
export function encodeDerivation(d: Derivation): string {
  const noneOf = d.noneOf?.filter((c) => c.anyOf.length).map((c) => ({ fact: c.fact, anyOf: [...new Set(c.anyOf)].sort() }));
  return JSON.stringify({ allOf: [...new Set(d.allOf)].sort(), then: d.then, ...(noneOf?.length ? { noneOf } : {}) });
}

function decodeDerivation(value: string): Derivation | undefined {
  try {
    const d = JSON.parse(value) as Partial<Derivation>;
    if (!Array.isArray(d.allOf) || typeof d.then !== 'string' || (d.noneOf !== undefined && !Array.isArray(d.noneOf))) return undefined;
    return d as Derivation;
  } catch {
    return undefined;
  }
}

/**
 * Closes one project's facts (keys `ruleId\0fact`, as in project-facts.ts) under the derivations they carry, in
 * place. Derivations whose blocking values a file provides are dropped first; the rest propagate.
 */
export function closeDerivedFacts(known: Map<string, Set<string>>): void {
  // Decide what blocks each derivation before anything is derived: only provided values block.
  const live = new Map<string, Derivation[]>();
  for (const [key, values] of known) {
    if (!key.endsWith(SUFFIX)) continue;
    const target = key.slice(0, -SUFFIX.length);
    const ruleId = target.slice(0, target.indexOf('\u0000'));
    for (const value of values) {
      const d = decodeDerivation(value);
      const blocked = (c: { fact: string; anyOf: string[] }) => {
        const provided = known.get(`${ruleId}\u0000${c.fact}`);
        return !!provided && c.anyOf.some((v) => provided.has(v));
      };
      if (!d || d.noneOf?.some(blocked)) continue;
      (live.get(target) ?? live.set(target, []).get(target)!).push(d);
    }
  }
  for (const [target, derivations] of live) {
    propagate(derivations, known.get(target) ?? known.set(target, new Set()).get(target)!);
  }
}

/** Horn-clause propagation: every derivation waits on its missing premises; a value that arrives releases them. */
function propagate(derivations: readonly Derivation[], holds: Set<string>): void {
  const waiting = new Map<string, number[]>();
  const ready: string[] = [];
  const missing = derivations.map((d, i) => {
    const absent = [...new Set(d.allOf)].filter((v) => !holds.has(v));
    for (const v of absent) (waiting.get(v) ?? waiting.set(v, []).get(v)!).push(i);
    if (!absent.length) ready.push(d.then);
    return absent.length;
  });
  while (ready.length) {
    const value = ready.pop()!;
    if (holds.has(value)) continue;
    holds.add(value);
    for (const i of waiting.get(value) ?? []) if (--missing[i] === 0) ready.push(derivations[i].then);
  }
}
