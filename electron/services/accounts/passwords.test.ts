import { describe, expect, it } from 'vitest';
import { decoyHash, hashPassword, MAX_CONCURRENT_DERIVATIONS, observeDerivations, STANDARD_COST, TEST_COST, verifyPassword, weakerThan, type ScryptCost } from './passwords';

describe('scrypt password hashes', () => {
  it('store their parameters and a fresh salt; verify the right password only', async () => {
    const a = await hashPassword('correct horse battery', TEST_COST);
    const b = await hashPassword('correct horse battery', TEST_COST);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b); // salted
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('never match a malformed stored hash', async () => {
    for (const stored of ['', 'plain', 'scrypt$1024$8$1$c2FsdA==', 'scrypt$0$8$1$c2FsdA==$AAAA', 'bcrypt$1024$8$1$c2FsdA==$AAAA', `scrypt$${2 ** 25}$8$1$c2FsdA==$${'A'.repeat(43)}=`]) {
      expect(await verifyPassword('x', stored), stored).toBe(false);
    }
  });
});

describe('scrypt cost and work', () => {
  it('the standard cost is OWASP’s N=2^17, r=8, p=1; lower-cost hashes are due for a rehash, standard ones are not', async () => {
    expect(STANDARD_COST).toEqual({ N: 131072, r: 8, p: 1 });
    const old = await hashPassword('correct horse battery', TEST_COST);
    expect(weakerThan(old, STANDARD_COST)).toBe(true);
    expect(weakerThan(old, TEST_COST)).toBe(false);
    expect(weakerThan(`scrypt$131072$8$1$${'A'.repeat(22)}==$${'A'.repeat(43)}=`, STANDARD_COST)).toBe(false);
    expect(weakerThan(`scrypt$131072$4$1$${'A'.repeat(22)}==$${'A'.repeat(43)}=`, STANDARD_COST)).toBe(true); // less memory
    expect(weakerThan(`scrypt$32768$8$1$${'A'.repeat(22)}==$${'A'.repeat(43)}=`, STANDARD_COST)).toBe(true); // the previous standard
  });

  it('a stored hash cannot ask for more than 1 GiB (r, not only N, is bounded)', async () => {
    const derived: ScryptCost[] = [];
    const stop = observeDerivations((c) => void derived.push(c));
    try {
      expect(await verifyPassword('x', `scrypt$1024$100000$1$c2FsdA==$${'A'.repeat(43)}=`)).toBe(false);
      expect(await verifyPassword('x', `scrypt$1048576$16$1$c2FsdA==$${'A'.repeat(43)}=`)).toBe(false);
      expect(await verifyPassword('x', `scrypt$1000$8$1$c2FsdA==$${'A'.repeat(43)}=`)).toBe(false); // N not a power of 2
    } finally {
      stop();
    }
    expect(derived).toEqual([]); // refused before any memory is taken
  });

  it('a decoy hash costs no derivation to make and one to check, at the cost asked, and matches nothing', async () => {
    const derived: ScryptCost[] = [];
    const stop = observeDerivations((c) => void derived.push(c));
    try {
      const decoy = decoyHash(TEST_COST);
      expect(derived).toEqual([]);
      expect(decoy).toMatch(/^scrypt\$1024\$8\$1\$/);
      expect(await verifyPassword('', decoy)).toBe(false);
      expect(derived).toEqual([TEST_COST]);
    } finally {
      stop();
    }
  });

  it(`never more than ${MAX_CONCURRENT_DERIVATIONS} derivations run at once, whoever asks`, async () => {
    let running = 0;
    let peak = 0;
    let done = 0;
    const stop = observeDerivations(() => {
      peak = Math.max(peak, ++running);
      return () => {
        running--;
        done++;
      };
    });
    try {
      const cost = { N: 1 << 12, r: 8, p: 1 };
      const hashes = await Promise.all(Array.from({ length: 12 }, (_, i) => hashPassword(`password number ${i}`, cost)));
      expect(await Promise.all(hashes.map((h, i) => verifyPassword(`password number ${i}`, h)))).toEqual(Array(12).fill(true));
    } finally {
      stop();
    }
    expect(done).toBe(24);
    expect(peak).toBe(MAX_CONCURRENT_DERIVATIONS);
  });
});
