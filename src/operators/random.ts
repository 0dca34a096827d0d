/**
 * The random source of unstable operators: xoshiro128** (Blackman and Vigna), seeded from the
 * task's seed through SeedSequence so that any 53-bit seed gives a distinct stream. Chosen over
 * SeedSequence itself because it needs no BigInt arithmetic: the simulators draw millions of numbers.
 * Changing it changes every unstable operator's results: bump their versions if you must.
 */
import { SeedSequence } from '../core/prng';

const TWO_POW_32 = 2 ** 32;

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** A deterministic stream of random numbers for one seed. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | undefined;

  /** @param seed a safe non-negative integer. */
  constructor(seed: number) {
    const seq = new SeedSequence(seed);
    const word = (): number => seq.next() % TWO_POW_32 >>> 0;
    this.a = word();
    this.b = word();
    this.c = word();
    this.d = word();
    // The all-zero state is the generator's only fixed point.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** A float in [0, 1) with 32 random bits. */
  next(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result / TWO_POW_32;
  }

  /** A float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A normal draw (Box-Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    // 1 - next() is in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spareNormal = r * Math.sin(theta);
    return mean + sd * r * Math.cos(theta);
  }
}
