/** What a person may do: viewers read, operators change issues, admins change the farm. */
export type Role = 'viewer' | 'operator' | 'admin';

export const ROLES: readonly Role[] = ['viewer', 'operator', 'admin'];

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const allows = (have: Role, need: Role): boolean => RANK[have] >= RANK[need];

/** The higher of two roles (`undefined` ranks below viewer). */
export const higherRole = (a: Role | undefined, b: Role | undefined): Role | undefined =>
  a === undefined ? b : b === undefined ? a : RANK[a] >= RANK[b] ? a : b;
