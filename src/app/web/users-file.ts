import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { K3scError } from '../../core/errors.js';
import type { Role } from '../../core/api/farm-api.js';

/** The web's local users (`web.users_file`): names, optional roles, scrypt password hashes. */
const userSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  role: z.enum(['viewer', 'operator', 'admin']).optional(),
  /** `scrypt$N$r$p$salt$hash` (salt and hash base64). */
  hash: z.string().startsWith('scrypt$'),
});
const fileSchema = z.object({ users: z.array(userSchema) });

export type WebUser = z.infer<typeof userSchema>;

export const USER_NAME_RULE = 'a user name is 1 to 64 letters, digits, dots, dashes or underscores';
const SCRYPT = { N: 16384, r: 8, p: 1 };
const KEY_LEN = 32;

const derive = (password: string, salt: Buffer, o: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LEN, { ...o, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );

export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
};

// Checked when the name is unknown too, so the answer takes as long either way.
const DUMMY = `scrypt$16384$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LEN).toString('base64')}`;

export const verifyPassword = async (password: string, stored: string | undefined): Promise<boolean> => {
  const [, n, r, p, salt, hash] = (stored ?? DUMMY).split('$');
  const key = await derive(password, Buffer.from(salt ?? '', 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  const want = Buffer.from(hash ?? '', 'base64');
  return stored !== undefined && want.length === key.length && timingSafeEqual(want, key);
};

export const readUsers = async (path: string): Promise<WebUser[]> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = fileSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new K3scError(
      'config_invalid',
      `${path} is not a k3sc users file: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  return parsed.data.users;
};

const writeUsers = async (path: string, users: readonly WebUser[]): Promise<void> => {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ users }, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
};

/** Adds a user or replaces their password and role. */
export const addUser = async (
  path: string,
  user: { name: string; password: string; role?: Role },
): Promise<'added' | 'updated'> => {
  if (!userSchema.shape.name.safeParse(user.name).success) throw new K3scError('bad_input', USER_NAME_RULE);
  if (user.password.length < 8) throw new K3scError('bad_input', 'a password needs at least 8 characters');
  const users = await readUsers(path);
  const entry: WebUser = {
    name: user.name,
    ...(user.role ? { role: user.role } : {}),
    hash: await hashPassword(user.password),
  };
  const known = users.some((u) => u.name === user.name);
  await writeUsers(path, [...users.filter((u) => u.name !== user.name), entry]);
  return known ? 'updated' : 'added';
};

export const removeUser = async (path: string, name: string): Promise<boolean> => {
  const users = await readUsers(path);
  if (!users.some((u) => u.name === name)) return false;
  await writeUsers(
    path,
    users.filter((u) => u.name !== name),
  );
  return true;
};
