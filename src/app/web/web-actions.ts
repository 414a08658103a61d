/**
 * The page's forms as command lines for the shared router (the command table's grammar and role
 * rules, as in chat). Pure: every field is checked here first, so a bad form gets a clear
 * message and nothing runs.
 */
export type WebAction =
  'dispatch' | 'pause' | 'resume' | 'kill' | 'requeue' | 'take' | 'release' | 'enable' | 'disable' | 'scale';

export const WEB_ACTIONS: readonly WebAction[] = [
  'dispatch',
  'pause',
  'resume',
  'kill',
  'requeue',
  'take',
  'release',
  'enable',
  'disable',
  'scale',
];

export type ParsedAction =
  | { readonly ok: true; readonly action: WebAction; readonly command: string }
  | {
      readonly ok: true;
      readonly action: WebAction;
      readonly confirm: string;
      readonly fields: Record<string, string>;
    }
  | { readonly ok: false; readonly error: string };

const ISSUE = /^(?:[A-Za-z0-9_.-]{1,100}\/)?[A-Za-z0-9_.-]{1,100}#\d{1,9}$|^\d{1,9}$/;
const NAME = /^[a-z0-9][a-z0-9-]{0,39}$/i;

const field = (form: Readonly<Record<string, unknown>>, name: string): string | undefined => {
  const v = form[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

const bad = (error: string): ParsedAction => ({ ok: false, error });

/** A form → the command line to run, a confirmation to ask first, or what is wrong with it. */
export const parseAction = (form: Readonly<Record<string, unknown>>): ParsedAction => {
  const action = field(form, 'action');
  if (!action || !(WEB_ACTIONS as readonly string[]).includes(action))
    return bad(`unknown action ${JSON.stringify(action ?? '')}: one of ${WEB_ACTIONS.join(', ')}`);
  const a = action as WebAction;
  const issue = field(form, 'issue');
  const needIssue = (): string | undefined =>
    issue === undefined
      ? `${a} needs an issue (owner/repo#N)`
      : ISSUE.test(issue)
        ? undefined
        : `${JSON.stringify(issue)} is not an issue reference like owner/repo#12`;
  switch (a) {
    case 'dispatch':
    case 'pause':
    case 'resume':
      return { ok: true, action: a, command: a };
    case 'kill':
    case 'requeue': {
      const problem = needIssue();
      if (problem) return bad(problem);
      if (field(form, 'confirm') !== 'yes')
        return {
          ok: true,
          action: a,
          fields: { action: a, issue: issue ?? '' },
          confirm:
            a === 'kill'
              ? `Kill the running attempt of ${issue}? The issue goes to needs-human.`
              : `Kill the running attempt of ${issue} and put it back to ready?`,
        };
      return { ok: true, action: a, command: `kill ${issue} ${a === 'requeue' ? '--requeue' : ''}`.trim() };
    }
    case 'enable':
    case 'disable': {
      const family = field(form, 'family');
      if (!family || !NAME.test(family)) return bad(`${a} needs a family name like claude`);
      return { ok: true, action: a, command: `${a} ${family}` };
    }
    case 'scale': {
      const slots = field(form, 'slots');
      if (!slots || !/^\d{1,2}$/.test(slots) || Number(slots) > 64)
        return bad(`scale needs a whole number of slots from 0 to 64, not ${JSON.stringify(slots ?? '')}`);
      return { ok: true, action: a, command: `scale ${Number(slots)}` };
    }
    case 'take': {
      const worker = field(form, 'worker');
      if (worker !== undefined && !NAME.test(worker))
        return bad(`${JSON.stringify(worker)} is not a worker name like claude-b`);
      return { ok: true, action: a, command: worker ? `take --worker ${worker}` : 'take' };
    }
    case 'release': {
      const pr = field(form, 'pr');
      if (!pr || !ISSUE.test(pr)) return bad('release needs a pull request like owner/repo#12');
      return { ok: true, action: a, command: `release ${pr}` };
    }
  }
};

/** Where to go back to after an action: a path under the base, never another site. */
export const safeBack = (base: string, back: unknown): string => {
  const home = `${base}/`;
  if (typeof back !== 'string' || !back.startsWith(home) || back.startsWith('//') || /[\s\\]/.test(back))
    return home;
  return back;
};
