/**
 * Who may do what in the municipal console. Every route names one permission (or `public`), and
 * a user holds exactly one role: a municipal role of their own municipality, or the centre's
 * operator role (centre-wide, `municipalityCode` = CENTRE_SCOPE, never a municipality's).
 */
export const CONSOLE_ROLES = ['viewer', 'editor', 'dv-officer', 'auditor', 'admin'] as const;
export type MunicipalRole = (typeof CONSOLE_ROLES)[number];
/** Centre-wide roles: they reach only `/console/centre/…` and never a municipality's routes. */
export const CENTRE_ROLES = ['operator'] as const;
export type CentreRole = (typeof CENTRE_ROLES)[number];
export type ConsoleRole = MunicipalRole | CentreRole;
/** The scope a centre-wide user is stored under (not a municipality code: those are 6 digits). */
export const CENTRE_SCOPE = 'centre';

export const PERMISSIONS = [
  'overview',
  'rules:read',
  'rules:edit',
  'registrations:read',
  'registrations:decide',
  'inkan:abolish',
  'dv:manage',
  'usage:read',
  'audit:read',
  'users:manage',
  'fleet:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Readonly<Record<ConsoleRole, readonly Permission[]>> = {
  viewer: ['overview', 'rules:read', 'registrations:read', 'usage:read'],
  editor: [
    'overview',
    'rules:read',
    'rules:edit',
    'registrations:read',
    'registrations:decide',
    'inkan:abolish',
    'usage:read',
  ],
  'dv-officer': ['overview', 'dv:manage'],
  auditor: ['overview', 'audit:read', 'usage:read'],
  admin: ['overview', 'users:manage'],
  operator: ['fleet:read'],
};

/** Permissions of centre-wide routes (under `/console/centre/`); every other one is municipal. */
export const CENTRE_PERMISSIONS: readonly Permission[] = ['fleet:read'];

export function can(role: ConsoleRole, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export const ROLE_TITLES_JA: Readonly<Record<ConsoleRole, string>> = {
  viewer: '閲覧者',
  editor: '編集者',
  'dv-officer': 'DV支援措置担当',
  auditor: '監査担当',
  admin: '管理者',
  operator: 'センター運用担当',
};

/** A municipal role (what a municipality's administrator may give; never a centre role). */
export function isConsoleRole(value: string): value is MunicipalRole {
  return (CONSOLE_ROLES as readonly string[]).includes(value);
}

export function isCentreRole(value: string): value is CentreRole {
  return (CENTRE_ROLES as readonly string[]).includes(value);
}
