import { readLabels } from '../domain/labels.js';
import { familiesOf, type EngineDeps } from '../engine/deps.js';
import type { IssueSnapshot } from '../model/work-items.js';

/** The issue that has waited longest in needs-human (skipping `waiting`), or undefined. */
export const nextForHuman = (deps: EngineDeps): IssueSnapshot | undefined => {
  const fams = familiesOf(deps);
  return deps.cache
    .all(deps.settings.repos)
    .flatMap((r) => r.issues)
    .filter((i) => {
      const l = readLabels(i.labels, fams);
      return i.state === 'open' && l.stage === 'needs-human' && !l.waiting;
    })
    .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number)[0];
};
