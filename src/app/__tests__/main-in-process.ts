import { vi } from 'vitest';
import { main } from '../../main.js';

/** Runs `main` in this process and captures what it writes to stdout and stderr. */
export const cli = async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk: string | Uint8Array) => ((stdout += String(chunk)), true),
  );
  vi.spyOn(process.stderr, 'write').mockImplementation(
    (chunk: string | Uint8Array) => ((stderr += String(chunk)), true),
  );
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
};

/** Credentials and k3sc settings from the test's own environment must not leak in. */
export const K3SC_ENV_KEYS = ['GITHUB_TOKEN', 'GH_TOKEN', 'K3SC_CONFIG', 'K3SC_WEBHOOK_SECRET', 'MAX_SLOTS'];
