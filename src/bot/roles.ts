export type Role = 'viewer' | 'operator' | 'admin';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export const allows = (have: Role, need: Role): boolean => RANK[have] >= RANK[need];
