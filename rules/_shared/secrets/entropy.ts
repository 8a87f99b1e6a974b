/**
 * How random a value looks, judged against its own alphabet. A 32-character hex string and a 32-character
 * base64 string have different ceilings (4 and 6 bits per character) and, at short lengths, a sample's
 * Shannon entropy falls well below the ceiling even for perfectly random strings. So the threshold is the
 * entropy a random string of the same length over the same alphabet has on average, less a margin, instead of
 * one number for every value (what makes single-threshold scanners flag long English identifiers and miss
 * short hex keys).
 */

export type Alphabet = 'hex' | 'base32' | 'base62' | 'base64' | 'base64url' | 'printable';

/** Alphabet sizes, for the expected entropy of a random string. */
const ALPHABET_SIZE: Readonly<Record<Alphabet, number>> = {
  hex: 16,
  base32: 32,
  base62: 62,
  base64: 64,
  base64url: 64,
  printable: 94,
};

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  if (!value) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  const n = value.length;
  for (const count of counts.values()) {
    const p = count / n;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** The narrowest alphabet the value is written in. Hex must be one case (mixed-case hex is base62 text). */
export function alphabetOf(value: string): Alphabet {
  if (/^[0-9a-f]+$/.test(value) || /^[0-9A-F]+$/.test(value)) return 'hex';
  if (/^[A-Z2-7]+=*$/.test(value)) return 'base32';
  if (/^[A-Za-z0-9]+$/.test(value)) return 'base62';
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return 'base64';
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return 'base64url';
  return 'printable';
}

const EXPECTED_CACHE = new Map<string, number>();

/**
 * The mean Shannon entropy of a uniformly random string of `length` characters over `size` symbols:
 * E[H] = -size · Σ_x P(X = x) · (x/n) · log2(x/n), with X ~ Binomial(n, 1/size) the count of one symbol.
 */
export function expectedEntropy(length: number, size: number): number {
  const n = Math.min(length, 256); // beyond this the expectation is within 0.01 bit of log2(size)
  // Keyed by the capped length, on which alone the result depends: at most 256 entries per alphabet, however
  // many distinct string lengths a long scan meets.
  const key = `${n}/${size}`;
  const cached = EXPECTED_CACHE.get(key);
  if (cached !== undefined) return cached;
  const p = 1 / size;
  let probability = Math.pow(1 - p, n); // P(X = 0)
  let sum = 0;
  for (let x = 1; x <= n; x++) {
    probability *= ((n - x + 1) / x) * (p / (1 - p));
    const share = x / n;
    sum -= probability * share * Math.log2(share);
  }
  const result = size * sum;
  EXPECTED_CACHE.set(key, result);
  return result;
}

/**
 * How far below a random string's mean entropy a value may fall and still count as random: about 3.3
 * standard deviations, the deviation of a sample's entropy being close to 0.8 / sqrt(length) bits for the
 * alphabets and lengths that matter (measured by simulation), so one random secret in a few thousand is missed.
 */
function marginBits(length: number): number {
  return Math.max(0.3, 2.7 / Math.sqrt(length));
}

/** The entropy threshold for a value of this length and alphabet. */
export function entropyThreshold(length: number, alphabet: Alphabet): number {
  return expectedEntropy(length, ALPHABET_SIZE[alphabet]) - marginBits(length);
}

/** Whether a value is as random as a machine-generated secret of its alphabet and length. */
export function looksRandom(value: string): boolean {
  const alphabet = alphabetOf(value);
  return shannonEntropy(value) >= entropyThreshold(value.length, alphabet);
}

/** Which of lower case, upper case, digits and symbols a value uses. */
export function characterClasses(value: string): number {
  return (
    (/[a-z]/.test(value) ? 1 : 0) + (/[A-Z]/.test(value) ? 1 : 0) + (/[0-9]/.test(value) ? 1 : 0) + (/[^A-Za-z0-9]/.test(value) ? 1 : 0)
  );
}
