/** Who asked: used for permission checks, audit, and texts like "killed by alice". */
export interface Actor {
  /** Stable id: `slack:U123`, `discord:456`, `cli:alice`, `console`. */
  readonly id: string;
  /** What people see. */
  readonly display: string;
  readonly role: 'viewer' | 'operator' | 'admin';
}
