/** The message of an unknown thrown value, for wrapping it in a user-facing error. */
export const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
