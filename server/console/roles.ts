/**
 * Who may do what in the municipal console. Every route names one permission (or `public`), and
 * a user holds exactly one role of their own municipality.
 */
export const CONSOLE_ROLES = ['viewer', 'editor', 'dv-officer', 'auditor', 'admin'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

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
};

export function can(role: ConsoleRole, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export const ROLE_TITLES_JA: Readonly<Record<ConsoleRole, string>> = {
  viewer: '閲覧者',
  editor: '編集者',
  'dv-officer': 'DV支援措置担当',
  auditor: '監査担当',
  admin: '管理者',
};

export function isConsoleRole(value: string): value is ConsoleRole {
  return (CONSOLE_ROLES as readonly string[]).includes(value);
}
