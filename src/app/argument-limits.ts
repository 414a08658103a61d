/** No argument of any command comes near this; longer ones are refused before anything runs. */
export const MAX_ARGUMENT_CHARS = 4096;

/** The first argument longer than MAX_ARGUMENT_CHARS, as a message, or undefined. */
export const oversizedArgument = (command: string, args: Record<string, unknown>): string | undefined => {
  for (const [name, value] of Object.entries(args))
    if (typeof value === 'string' && value.length > MAX_ARGUMENT_CHARS)
      return `${command}: ${name}: is ${value.length.toLocaleString('en-US')} characters long; at most ${MAX_ARGUMENT_CHARS.toLocaleString('en-US')} are accepted`;
  return undefined;
};
