import { describe, expect, it } from 'vitest';
import { hashPassword, TEST_COST, verifyPassword } from './passwords';

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
