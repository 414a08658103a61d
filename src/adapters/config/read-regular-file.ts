import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/** The config file may be at most this big; real ones are a few KiB. */
export const CONFIG_FILE_LIMIT = 1024 * 1024;
/** Token, webhook secret and PEM files: a few hundred bytes to a few KiB. */
export const SECRET_FILE_LIMIT = 64 * 1024;

/** A file k3sc will not read, with a message that says why (the `code` mimics Node's errors). */
export class RefusedFileError extends Error {
  override readonly name = 'RefusedFileError';
  constructor(
    readonly code: 'ENOTREG' | 'EFBIG',
    message: string,
  ) {
    super(message);
  }
}

const kindOf = (st: Stats): string => {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
};

const KIB = 1024;
const MIB = 1024 * KIB;

/** `1 MiB`, `64 KiB`, or `1,048,580 bytes` when not a whole number of either. */
export const formatBytes = (n: number): string => {
  if (n >= MIB && n % MIB === 0) return `${n / MIB} MiB`;
  if (n >= KIB && n % KIB === 0) return `${n / KIB} KiB`;
  return `${n.toLocaleString('en-US')} bytes`;
};

export const tooBig = (size: number | undefined, limit: number): RefusedFileError =>
  new RefusedFileError(
    'EFBIG',
    `it is larger than ${formatBytes(limit)}${size === undefined ? '' : ` (${formatBytes(size)})`}`,
  );

/**
 * Reads a regular file of at most `limit` bytes as UTF-8. A FIFO, device, socket or directory is
 * refused without blocking (opened with O_NONBLOCK, then checked with fstat), and so is a file
 * that is, or grows, larger than `limit`. Other errors are Node's (ENOENT, EACCES…).
 */
export const readRegularFile = async (file: string, limit: number): Promise<string> => {
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await handle.stat();
    if (!st.isFile()) {
      const kind = kindOf(st);
      throw new RefusedFileError(
        'ENOTREG',
        `it is ${kind}${kind.startsWith('not') ? '' : ', not a regular file'}`,
      );
    }
    if (st.size > limit) throw tooBig(st.size, limit);
    const buf = Buffer.alloc(limit + 1);
    let used = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, used, buf.length - used, null);
      if (bytesRead === 0) break;
      used += bytesRead;
      if (used > limit) throw tooBig(undefined, limit);
    }
    return buf.subarray(0, used).toString('utf8');
  } finally {
    await handle.close();
  }
};
