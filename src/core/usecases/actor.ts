import type { Role } from '../domain/roles.js';

/** Who asked: used for permission checks, audit, and texts like "killed by alice". */
export interface Actor {
  /** Stable id: `slack:U123`, `discord:456`, `cli:alice`, `console:alice`. */
  readonly id: string;
  /** What people see. */
  readonly display: string;
  readonly role: Role;
}
