import { html, type Html } from './html.ts';
import { can, CENTRE_SCOPE, isCentreRole, ROLE_TITLES_JA, type Permission } from './roles.ts';
import type { ConsoleSession, ConsoleUser } from './store.ts';

/** The page frame: title, navigation by permission, sign-out (a POST with the CSRF token). */
export interface PageContext {
  user: ConsoleUser;
  session: ConsoleSession;
  municipalityName: string;
}

/** Where a user lands after sign-in: the municipality's overview, or the centre's fleet. */
export function homeOf(user: ConsoleUser): string {
  return isCentreRole(user.role) ? '/console/centre/fleet' : `/console/m/${user.municipalityCode}`;
}

const CENTRE_NAV: readonly { path: string; label: string; permission: Permission }[] = [
  { path: '/fleet', label: '端末の稼働状況', permission: 'fleet:read' },
];

const NAV: readonly { path: string; label: string; permission: Permission }[] = [
  { path: '', label: '概要', permission: 'overview' },
  { path: '/rules', label: '交付の設定', permission: 'rules:read' },
  { path: '/registrations', label: '利用登録', permission: 'registrations:read' },
  { path: '/inkan', label: '印鑑登録の廃止', permission: 'inkan:abolish' },
  { path: '/dv', label: 'DV支援措置', permission: 'dv:manage' },
  { path: '/usage', label: '利用状況', permission: 'usage:read' },
  { path: '/audit', label: '監査記録', permission: 'audit:read' },
  { path: '/users', label: '利用者管理', permission: 'users:manage' },
];

export const csrfField = (session: ConsoleSession) =>
  html`<input type="hidden" name="_csrf" value="${session.csrfToken}" />`;

export function page(title: string, body: Html, ctx?: PageContext): string {
  const centre = ctx !== undefined && ctx.user.municipalityCode === CENTRE_SCOPE;
  const base = ctx ? (centre ? '/console/centre' : `/console/m/${ctx.user.municipalityCode}`) : '';
  const header = ctx
    ? html`<header>
        <strong>${ctx.municipalityName} コンビニ交付 管理画面</strong>
        <nav aria-label="メニュー">
          <ul>
            ${(centre ? CENTRE_NAV : NAV)
              .filter((n) => can(ctx.user.role, n.permission))
              .map((n) => html`<li><a href="${base}${n.path}">${n.label}</a></li>`)}
          </ul>
        </nav>
        <span>${ctx.user.login}（${ROLE_TITLES_JA[ctx.user.role]}）</span>
        <form method="post" action="/console/sign-out">
          ${csrfField(ctx.session)}<button>サインアウト</button>
        </form>
      </header>`
    : html`<header><strong>コンビニ交付 管理画面</strong></header>`;
  return html`<!doctype html>
    <html lang="ja">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} — コンビニ交付 管理画面</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        ${header}
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`.value;
}

export function problems(list: readonly string[]): Html {
  return list.length === 0
    ? html``
    : html`<div class="problems" role="alert">
        <p>保存できません：</p>
        <ul>
          ${list.map((p) => html`<li>${p}</li>`)}
        </ul>
      </div>`;
}

export const FLASH: Readonly<Record<string, string>> = {
  saved: '保存しました。',
  decided: '決定しました。',
  abolished: '廃止しました。',
  blocked: 'DV支援措置を設定しました。',
  lifted: 'DV支援措置を解除しました。',
  created: '利用者を追加しました。',
  updated: '利用者を更新しました。',
};

export function flash(code: unknown): Html {
  const text = typeof code === 'string' ? FLASH[code] : undefined;
  return text ? html`<p class="status" role="status">${text}</p>` : html``;
}
