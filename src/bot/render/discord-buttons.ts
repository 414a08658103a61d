/** A Discord button (component type 2) that runs a k3sc command when clicked. */
export interface DiscordButton {
  readonly type: 2;
  readonly style: 1 | 2 | 4;
  readonly label: string;
  readonly custom_id: string;
}

export interface DiscordActionRow {
  readonly type: 1;
  readonly components: readonly DiscordButton[];
}

/** `custom_id` prefix of a button that stands for a command line. */
export const BUTTON_PREFIX = 'k3sc:';

const DESTRUCTIVE = /^(kill|reset|pause|scale|confirm)\b/;

/**
 * Buttons in rows of five, at most five rows. A button that does not fit (more than 25, or a
 * command longer than a custom_id may be) is returned in `overflow` as text to show instead.
 */
export const discordButtons = (
  buttons: readonly { readonly label: string; readonly command: string }[],
): { rows: DiscordActionRow[]; overflow: string[] } => {
  const fit: DiscordButton[] = [];
  const overflow: string[] = [];
  for (const b of buttons) {
    const id = `${BUTTON_PREFIX}${b.command}`;
    // Discord refuses a message with two equal custom_ids; one button per command is enough.
    if (fit.some((f) => f.custom_id === id)) continue;
    if (fit.length >= 25 || id.length > 100) {
      overflow.push(`${b.label}: /k3sc ${b.command}`);
      continue;
    }
    const label = b.label.length <= 80 ? b.label : `${b.label.slice(0, 79)}…`;
    fit.push({ type: 2, style: DESTRUCTIVE.test(b.command) ? 4 : 2, label, custom_id: id });
  }
  const rows: DiscordActionRow[] = [];
  for (let i = 0; i < fit.length; i += 5) rows.push({ type: 1, components: fit.slice(i, i + 5) });
  return { rows, overflow };
};
