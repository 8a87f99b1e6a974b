/**
 * Issue 12, item 3: work on a large file grows with its size, not its square. Measured as CPU time (the
 * machine is shared) of the same check on a source and on one four times larger: linear work takes about
 * four times as long, the quadratic searches it replaced sixteen (a 1 MB minified bundle took 27 s).
 * The long operator chains of item 2 are here too: they were quadratic in model building (6 s for 10,000 terms).
 */
import { describe, expect, it } from 'vitest';
import { checkFile, type CheckInput } from '../../server/src/core/check';
import { loadConfig } from '../../server/src/core/config';
import { BUILTIN } from '../helpers/registry';
import { cArithmeticChain, minifiedBundle, pythonStringChain } from '../helpers/hostile-source';

const config = loadConfig(process.cwd(), undefined, BUILTIN);

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU milliseconds of checking `text` with the recommended rules, best of `runs`. */
async function checkCost(input: Omit<CheckInput, 'text'>, text: string, runs = 2): Promise<number> {
  let best = Infinity;
  for (let run = 0; run < runs; run++) {
    const started = cpuMs();
    const result = await checkFile({ ...input, text }, config.rulesFor(input.relativePath));
    best = Math.min(best, cpuMs() - started);
    expect(result.ruleFailures).toEqual([]);
  }
  return best;
}

async function growth(input: Omit<CheckInput, 'text'>, make: (size: number) => string, size: number): Promise<number> {
  await checkCost(input, make(size / 4), 1); // grammars loaded, code warm
  const small = await checkCost(input, make(size));
  const large = await checkCost(input, make(size * 4));
  return large / small;
}

describe('cost grows linearly with the size of a file', () => {
  it('a minified JavaScript bundle (64 KB -> 256 KB)', async () => {
    const input = { path: '/p/dist/bundle.min.js', relativePath: 'dist/bundle.min.js', language: 'javascript' as const };
    expect(await growth(input, minifiedBundle, 64_000)).toBeLessThan(7);
  }, 300_000);

  it('a C arithmetic chain (2,500 -> 10,000 terms)', async () => {
    const input = { path: '/p/chain.c', relativePath: 'chain.c', language: 'c' as const };
    expect(await growth(input, cArithmeticChain, 2_500)).toBeLessThan(7);
  }, 300_000);

  it('a Python string chain (2,500 -> 10,000 terms)', async () => {
    const input = { path: '/p/chain.py', relativePath: 'chain.py', language: 'python' as const };
    expect(await growth(input, pythonStringChain, 2_500)).toBeLessThan(7);
  }, 300_000);
});
