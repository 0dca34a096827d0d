/**
 * Seeds for sweep children. A parent seed determines every child seed, so anyone can recompute a
 * child's seed from the parent's with the algorithm below (also documented in
 * docs/run-definitions.md). Changing it would change every future sweep's seeds: do not.
 *
 * SeedSequence is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", 2014), with all arithmetic modulo 2^64:
 *
 *     state = seed
 *     next():
 *       state = state + 0x9E3779B97F4A7C15
 *       z = state
 *       z = (z XOR (z >> 30)) * 0xBF58476D1CE4E5B9
 *       z = (z XOR (z >> 27)) * 0x94D049BB133111EB
 *       z = z XOR (z >> 31)
 *       return z >> 11            (the top 53 bits: a safe integer in [0, 2^53))
 *
 * A sweep child's seed depends on the parent seed and on what the child is, not on its position
 * (`derivedSeed` below): so two overlapping sweeps with one seed give the children they share the
 * same seeds, and unstable operators in those children complete from the cache.
 */
import { createHash } from 'node:crypto';
import { AccioError } from './errors';

const MASK_64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const MIX_1 = 0xbf58476d1ce4e5b9n;
const MIX_2 = 0x94d049bb133111ebn;

/** Exclusive upper bound of seeds: every seed is a safe integer in [0, 2^53). */
export const SEED_LIMIT = 2 ** 53;

/** Whether `n` may be used as a seed: a safe non-negative integer. */
export function isValidSeed(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** A deterministic stream of seeds derived from one seed (SplitMix64, see the file comment). */
export class SeedSequence {
  private state: bigint;

  /** @param seed a safe non-negative integer (callers validate user input before this). */
  constructor(seed: number) {
    if (!isValidSeed(seed)) {
      throw new AccioError('INTERNAL', `a seed must be a safe non-negative integer, got ${seed}`);
    }
    this.state = BigInt(seed);
  }

  /** Restarts the sequence from a 64-bit state and returns its next seed. */
  nextFrom(state: bigint): number {
    this.state = state & MASK_64;
    return this.next();
  }

  /** The next seed: a safe integer in [0, 2^53). */
  next(): number {
    this.state = (this.state + GOLDEN_GAMMA) & MASK_64;
    return mix(this.state);
  }
}

function mix(state: bigint): number {
  let z = state;
  z = ((z ^ (z >> 30n)) * MIX_1) & MASK_64;
  z = ((z ^ (z >> 27n)) * MIX_2) & MASK_64;
  z = z ^ (z >> 31n);
  return Number(z >> 11n);
}

/**
 * The seed of something named `label` under `seed`: the first value of SplitMix64 started from
 * `seed XOR s`, where s is the first 64 bits (big-endian) of SHA-256 over the UTF-8 label.
 */
export function derivedSeed(seed: number, label: string): number {
  const salt = BigInt(`0x${createHash('sha256').update(label, 'utf8').digest('hex').slice(0, 16)}`);
  return new SeedSequence(0).nextFrom(BigInt(seed) ^ salt);
}

/**
 * A fresh seed in [0, 2^53) for a run that names none. `random` returns floats in [0, 1) (pass
 * Math.random); two draws are combined because one float carries fewer than 53 random bits.
 */
export function randomSeed(random: () => number): number {
  const draw = (bits: number): number => {
    const r = random();
    if (!(r >= 0 && r < 1)) throw new AccioError('INTERNAL', `a random source must return numbers in [0, 1), got ${r}`);
    return Math.floor(r * 2 ** bits);
  };
  return draw(26) * 2 ** 27 + draw(27);
}
