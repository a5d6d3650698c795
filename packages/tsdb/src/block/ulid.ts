import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID (48-bit millisecond time + 80 random bits in Crockford base32), the block directory
 * name Prometheus uses: lexical order is creation order, and two stores never collide.
 */
export function ulid(nowMs = Date.now()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const rand = randomBytes(10);
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const b of rand) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(acc >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return time + out;
}

export const isUlid = (name: string): boolean => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(name);
