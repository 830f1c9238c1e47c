// Test users of the local IdP. The account id is the subject (`sub`).
import { createHash, timingSafeEqual } from 'node:crypto';

/** @type {Record<string, {password: string, name: string, email: string}>} */
const USERS = {
  alice: { password: 'alice-password', name: 'Alice Example', email: 'alice@example.test' },
  bob: { password: 'bob-password', name: 'Bob Example', email: 'bob@example.test' },
};

const digest = (s) => createHash('sha256').update(String(s), 'utf8').digest();

/**
 * Returns the account id when `login` / `password` match a test user, else undefined.
 * Compares digests in constant time so the check behaves like a real one.
 */
export function checkPassword(login, password) {
  const user = Object.hasOwn(USERS, login) ? USERS[login] : undefined;
  const expected = digest(user ? user.password : 'no such user');
  const ok = timingSafeEqual(expected, digest(password ?? ''));
  return user && ok ? login : undefined;
}

/** oidc-provider `findAccount`: claims are sub, name, preferred_username, email. */
export async function findAccount(_ctx, id) {
  const user = Object.hasOwn(USERS, id) ? USERS[id] : undefined;
  if (!user) return undefined;
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        name: user.name,
        preferred_username: user.email,
        email: user.email,
        email_verified: true,
      };
    },
  };
}
