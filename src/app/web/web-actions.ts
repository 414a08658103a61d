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

type Form = Readonly<Record<string, unknown>>;

const issueProblem = (a: WebAction, issue: string | undefined): string | undefined =>
  issue === undefined
    ? `${a} needs an issue (owner/repo#N)`
    : ISSUE.test(issue)
      ? undefined
      : `${JSON.stringify(issue)} is not an issue reference like owner/repo#12`;

const killLike = (a: 'kill' | 'requeue', form: Form): ParsedAction => {
  const issue = field(form, 'issue');
  const problem = issueProblem(a, issue);
  if (problem || issue === undefined) return bad(problem ?? '');
  if (field(form, 'confirm') !== 'yes')
    return {
      ok: true,
      action: a,
      fields: { action: a, issue },
      confirm:
        a === 'kill'
          ? `Kill the running attempt of ${issue}? The issue goes to needs-human.`
          : `Kill the running attempt of ${issue} and put it back to ready?`,
    };
  return { ok: true, action: a, command: a === 'kill' ? `kill ${issue}` : `kill ${issue} --requeue` };
};

/** Pause and scale ask first on the page, as kill does (and as chat does with its card). */
const confirmed = (
  form: Form,
  a: WebAction,
  command: string,
  question: string,
  extra: Record<string, string> = {},
): ParsedAction =>
  field(form, 'confirm') === 'yes'
    ? { ok: true, action: a, command }
    : { ok: true, action: a, fields: { action: a, ...extra }, confirm: question };

const family = (a: 'enable' | 'disable', form: Form): ParsedAction => {
  const name = field(form, 'family');
  if (!name || !NAME.test(name)) return bad(`${a} needs a family name like claude`);
  return { ok: true, action: a, command: `${a} ${name}` };
};

const PARSERS: Readonly<Record<WebAction, (form: Form) => ParsedAction>> = {
  dispatch: () => ({ ok: true, action: 'dispatch', command: 'dispatch' }),
  pause: (form) =>
    confirmed(form, 'pause', 'pause', 'Pause the farm? Nothing new is dispatched until someone resumes it.'),
  resume: () => ({ ok: true, action: 'resume', command: 'resume' }),
  kill: (form) => killLike('kill', form),
  requeue: (form) => killLike('requeue', form),
  enable: (form) => family('enable', form),
  disable: (form) => family('disable', form),
  scale: (form) => {
    const slots = field(form, 'slots');
    if (!slots || !/^\d{1,2}$/.test(slots) || Number(slots) > 64)
      return bad(`scale needs a whole number of slots from 0 to 64, not ${JSON.stringify(slots ?? '')}`);
    return confirmed(form, 'scale', `scale ${Number(slots)}`, `Scale the farm to ${Number(slots)} slot(s)?`, {
      slots: String(Number(slots)),
    });
  },
  take: (form) => {
    const worker = field(form, 'worker');
    if (worker !== undefined && !NAME.test(worker))
      return bad(`${JSON.stringify(worker)} is not a worker name like claude-b`);
    return { ok: true, action: 'take', command: worker ? `take --worker ${worker}` : 'take' };
  },
  release: (form) => {
    const pr = field(form, 'pr');
    if (!pr || !ISSUE.test(pr)) return bad('release needs a pull request like owner/repo#12');
    return { ok: true, action: 'release', command: `release ${pr}` };
  },
};

/** A form → the command line to run, a confirmation to ask first, or what is wrong with it. */
export const parseAction = (form: Form): ParsedAction => {
  const action = field(form, 'action');
  if (!action || !(WEB_ACTIONS as readonly string[]).includes(action))
    return bad(`unknown action ${JSON.stringify(action ?? '')}: one of ${WEB_ACTIONS.join(', ')}`);
  return PARSERS[action as WebAction](form);
};

/** Where to go back to after an action: a path under the base, never another site. */
export const safeBack = (base: string, back: unknown): string => {
  const home = `${base}/`;
  if (typeof back !== 'string' || !back.startsWith(home) || back.startsWith('//') || /[\s\\]/.test(back))
    return home;
  return back;
};
