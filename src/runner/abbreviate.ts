/** One line, at most `max` characters, with a count of the lines left out. */
export const abbreviate = (text: string, max: number): string => {
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  const first = (lines[0] ?? '').trim();
  const cut = first.length > max ? `${first.slice(0, max - 1)}…` : first;
  return lines.length > 1 ? `${cut} (+${lines.length - 1} lines)` : cut;
};
