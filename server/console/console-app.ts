import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { CERTIFICATE_TITLES_JA } from '../../protocol/certificate-types.ts';
import { municipalOperations, type Actor, type OperationFailure } from '../admin/operations.ts';
import type { CentreRepository } from '../db/repository.ts';
import type { Fleet } from '../fleet/index.ts';
import { japanIsoDateTime } from '../municipal/japanTime.ts';
import type { RegisterStore } from '../municipal/register-store.ts';
import { parseMunicipalRules } from '../municipal/rules.ts';
import { CONSOLE_CSS, CONSOLE_JS } from './assets.ts';
import { ConsoleAuth, csrfTokenMatches, newConsoleUser, type SignedIn } from './auth.ts';
import { html, type Html } from './html.ts';
import { fleetView } from './fleet-view.ts';
import { csrfField, flash, homeOf, page, problems, type PageContext } from './layout.ts';
import { menuPreview, sampleCertificatePdf } from './preview.ts';
import {
  can,
  CENTRE_PERMISSIONS,
  CENTRE_SCOPE,
  CONSOLE_ROLES,
  isCentreRole,
  isConsoleRole,
  ROLE_TITLES_JA,
  type Permission,
} from './roles.ts';
import { rulesFormFields, rulesFromForm, type FormBody } from './rules-form.ts';
import type { AuditRow, ConsoleStore } from './store.ts';
import { usageChart, usageCsv, usageOf } from './usage.ts';

/**
 * The municipal console: a server-rendered web app for each municipality's staff, on the same
 * domain operations as the admin API (server/admin/operations.ts). Every route declares who may
 * call it (`config.access`): `public`, `signed-in`, or one permission (roles.ts); a route without
 * one is refused (and fails the route-table test). A signed-in user only reaches routes under
 * their own municipality (`/console/m/:code/…`); another municipality's code is 404, as if it did
 * not exist. Every POST carries the session's CSRF token (`_csrf`) and, when the browser sends one,
 * an Origin of the console itself. Sessions: an opaque random token in an HttpOnly, SameSite=Strict
 * cookie (Secure outside loopback), only its SHA-256 stored. The centre's operator (a centre-wide
 * role, stored under CENTRE_SCOPE) reaches only `/console/centre/…` (the fleet): never a
 * municipality's routes, and no municipal role reaches the centre's.
 */
export type RouteAccess = Permission | 'public' | 'signed-in';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    signedIn?: SignedIn;
  }
}

export interface ConsoleAppOptions {
  repository: CentreRepository;
  registers: RegisterStore;
  store: ConsoleStore;
  /** The kiosks' last health and alerts, for the operator's fleet page (absent: no kiosks known). */
  fleet?: Fleet;
  now?: () => Date;
  /** Secure cookies (HTTPS); default false, for the loopback listener. */
  secureCookies?: boolean;
  logger?: boolean;
}

export const CONSOLE_PREFIX = '/console';
export const SESSION_COOKIE = 'console_session';

/** Every route of the app with its access rule, as registered (for the route-table test). */
export interface ConsoleRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

export function buildConsoleApp(
  options: ConsoleAppOptions,
): FastifyInstance & { consoleRoutes: ConsoleRoute[] } {
  const now = options.now ?? (() => new Date());
  const { store, repository, registers } = options;
  const auth = new ConsoleAuth({ store, now });
  const operations = municipalOperations({ repository, registers, store, now });
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 64 * 1024 });
  const routes: ConsoleRoute[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods)
      if (method !== 'HEAD')
        routes.push({
          method,
          url: route.url,
          access: (route.config as { access?: RouteAccess } | undefined)?.access,
        });
  });
  void app.register(cookie);
  void app.register(formbody);
  app.decorateRequest('signedIn', undefined);

  app.addHook('onSend', async (_request, reply) => {
    reply.header(
      'content-security-policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    reply.header('x-content-type-options', 'nosniff');
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on form POSTs.
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  const sendPage = (reply: FastifyReply, status: number, body: string) =>
    reply.code(status).type('text/html; charset=utf-8').send(body);
  const refusal = (reply: FastifyReply, status: number, title: string) =>
    sendPage(
      reply,
      status,
      page(
        title,
        html`<p>${title}</p>
          <p><a href="/console/">管理画面へ</a></p>`,
      ),
    );

  /** The one place access is decided, before any handler runs. */
  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (request.routeOptions.url === undefined) return; // not found: the 404 handler answers
    if (access === undefined) return refusal(reply, 403, 'この操作は許可されていません');
    if (request.method === 'POST' && !sameOrigin(request)) return refusal(reply, 403, '不正な要求です');
    if (access === 'public') return;
    const signedIn = await auth.sessionFor(request.cookies[SESSION_COOKIE]);
    if (!signedIn) {
      if (request.method === 'GET') return reply.redirect('/console/sign-in', 303);
      return refusal(reply, 401, 'サインインしてください');
    }
    const code = (request.params as { code?: string }).code;
    if (code !== undefined && code !== signedIn.user.municipalityCode)
      return refusal(reply, 404, 'ページがありません');
    // Centre-wide routes exist only for centre-wide users; to anyone else they do not exist.
    const centreRoute = access !== 'signed-in' && CENTRE_PERMISSIONS.includes(access);
    const centreUser = isCentreRole(signedIn.user.role) && signedIn.user.municipalityCode === CENTRE_SCOPE;
    if (centreRoute !== centreUser && access !== 'signed-in')
      return refusal(
        reply,
        centreRoute ? 404 : 403,
        centreRoute ? 'ページがありません' : 'この操作は許可されていません',
      );
    if (
      request.method === 'POST' &&
      !csrfTokenMatches(signedIn.session, (request.body as FormBody | undefined)?._csrf)
    )
      return refusal(reply, 403, '不正な要求です（CSRF）');
    if (access !== 'signed-in' && !can(signedIn.user.role, access))
      return refusal(reply, 403, 'この操作は許可されていません');
    request.signedIn = signedIn;
  });

  /**
   * A POST from another site is refused: by Fetch Metadata (`Sec-Fetch-Site`) and by `Origin` when
   * the browser sends them (an opaque `null` origin counts as foreign); the CSRF token decides too.
   */
  function sameOrigin(request: FastifyRequest): boolean {
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return false;
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    return origin === `${request.protocol}://${request.headers.host ?? ''}`;
  }

  const signedIn = (request: FastifyRequest): SignedIn => {
    if (!request.signedIn) throw new Error('route reached without a session');
    return request.signedIn;
  };
  const actorOf = (s: SignedIn): Actor => ({
    municipalityCode: s.user.municipalityCode,
    name: `console:${s.user.login}`,
  });
  async function contextOf(s: SignedIn): Promise<PageContext> {
    const m = await repository.getMunicipality(s.user.municipalityCode);
    return { ...s, municipalityName: m?.name ?? s.user.municipalityCode };
  }
  const base = (s: SignedIn) => `${CONSOLE_PREFIX}/m/${s.user.municipalityCode}`;
  const body = (request: FastifyRequest): FormBody => (request.body as FormBody | undefined) ?? {};
  const field = (request: FastifyRequest, name: string) => {
    const v = body(request)[name];
    return typeof v === 'string' ? v.trim() : '';
  };
  const failureStatus = (f: OperationFailure) =>
    f.kind === 'not-found' ? 404 : f.kind === 'already-decided' ? 409 : 422;

  // ── public ─────────────────────────────────────────────────────────────────────────────
  app.get('/console/assets/console.js', { config: { access: 'public' } }, async (_r, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(CONSOLE_JS),
  );
  app.get('/console/assets/console.css', { config: { access: 'public' } }, async (_r, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(CONSOLE_CSS),
  );
  app.get('/console/', { config: { access: 'public' } }, async (request, reply) => {
    const s = await auth.sessionFor(request.cookies[SESSION_COOKIE]);
    return reply.redirect(s ? homeOf(s.user) : '/console/sign-in', 303);
  });

  const signInPage = (message?: string) =>
    page(
      'サインイン',
      html`${message ? html`<p class="problems" role="alert">${message}</p>` : ''}
        <form method="post" action="/console/sign-in">
          <p>
            <label>利用者名 <input name="login" autocomplete="username" required /></label>
          </p>
          <p>
            <label
              >パスワード <input name="password" type="password" autocomplete="current-password" required
            /></label>
          </p>
          <p><button>サインイン</button></p>
        </form>`,
    );
  app.get('/console/sign-in', { config: { access: 'public' } }, async (_r, reply) =>
    sendPage(reply, 200, signInPage()),
  );
  app.post('/console/sign-in', { config: { access: 'public' } }, async (request, reply) => {
    const result = await auth.signIn(field(request, 'login'), field(request, 'password'));
    if (!result.ok) {
      const locked = result.failure.kind === 'locked';
      return sendPage(
        reply,
        locked ? 423 : 401,
        signInPage(
          locked
            ? 'サインインの失敗が続いたため、しばらくロックされています。時間をおくか、管理者に解除を依頼してください。'
            : '利用者名またはパスワードが違います。',
        ),
      );
    }
    reply.setCookie(SESSION_COOKIE, result.token, {
      path: CONSOLE_PREFIX,
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies ?? false,
      maxAge: Math.floor((result.session.expiresAt - result.session.createdAt) / 1000),
    });
    return reply.redirect(homeOf(result.user), 303);
  });
  app.post('/console/sign-out', { config: { access: 'signed-in' } }, async (request, reply) => {
    await auth.signOut(signedIn(request).session);
    reply.clearCookie(SESSION_COOKIE, { path: CONSOLE_PREFIX });
    return reply.redirect('/console/sign-in', 303);
  });

  // ── the fleet (the centre's operator) ─────────────────────────────────────────────────────
  app.get('/console/centre/fleet', { config: { access: 'fleet:read' } }, async (request, reply) => {
    const s = signedIn(request);
    const records = (await options.fleet?.latestTerminalHealth()) ?? [];
    const alerts = (await options.fleet?.alerts()) ?? [];
    return sendPage(
      reply,
      200,
      page('端末の稼働状況', fleetView(records, alerts, now().getTime()), {
        ...s,
        municipalityName: 'センター',
      }),
    );
  });

  // ── overview ───────────────────────────────────────────────────────────────────────────
  app.get('/console/m/:code', { config: { access: 'overview' } }, async (request, reply) => {
    const s = signedIn(request);
    const ctx = await contextOf(s);
    return sendPage(
      reply,
      200,
      page(
        '概要',
        html`<p>
          ${ctx.municipalityName}の職員用画面です。あなたの役割は「${ROLE_TITLES_JA[s.user.role]}」です。上のメニューから操作を選んでください。
        </p>`,
        ctx,
      ),
    );
  });

  // ── rules ──────────────────────────────────────────────────────────────────────────────
  async function rulesPage(
    s: SignedIn,
    status: number,
    reply: FastifyReply,
    fields: Html,
    preview: Html,
    extra: Html,
  ) {
    const editable = can(s.user.role, 'rules:edit');
    const url = `${base(s)}/rules`;
    return sendPage(
      reply,
      status,
      page(
        '交付の設定',
        html`${extra}
          <div class="editor">
            <form method="post" action="${url}" data-preview="${url}/preview" data-sample="${url}/sample.pdf">
              ${csrfField(s.session)}
              <fieldset ${editable ? '' : html`disabled`} class="rules">${fields}</fieldset>
              ${editable ? html`<p><button>保存する</button></p>` : html`<p>閲覧のみです（編集は編集者の役割）。</p>`}
            </form>
            <aside>
              <h2>プレビュー</h2>
              <div id="preview" aria-live="polite">${preview}</div>
              <p><button type="button" id="sample-button">見本の証明書を表示</button></p>
              <iframe id="sample-frame" title="見本の証明書" hidden></iframe>
            </aside>
          </div>`,
        await contextOf(s),
      ),
    );
  }
  app.get('/console/m/:code/rules', { config: { access: 'rules:read' } }, async (request, reply) => {
    const s = signedIn(request);
    const rules = await repository.getMunicipality(s.user.municipalityCode);
    if (!rules) return refusal(reply, 404, 'ページがありません');
    return rulesPage(
      s,
      200,
      reply,
      rulesFormFields(rules),
      menuPreview(rules, now()),
      flash((request.query as { done?: string }).done),
    );
  });
  /** The draft from the form, validated by the rules schema. */
  async function draftOf(request: FastifyRequest) {
    const s = signedIn(request);
    const current = await repository.getMunicipality(s.user.municipalityCode);
    if (!current) return undefined;
    return { s, current, parsed: parseMunicipalRules(rulesFromForm(current, body(request))) };
  }
  app.post('/console/m/:code/rules', { config: { access: 'rules:edit' } }, async (request, reply) => {
    const draft = await draftOf(request);
    if (!draft) return refusal(reply, 404, 'ページがありません');
    const saved = await operations.saveRules(actorOf(draft.s), rulesFromForm(draft.current, body(request)));
    if (saved.ok) return reply.redirect(`${base(draft.s)}/rules?done=saved`, 303);
    const errors = saved.failure.kind === 'invalid-rules' ? saved.failure.errors : [saved.failure.kind];
    return rulesPage(
      draft.s,
      422,
      reply,
      rulesFormFields(draft.current),
      menuPreview(draft.current, now()),
      problems(errors),
    );
  });
  app.post('/console/m/:code/rules/preview', { config: { access: 'rules:read' } }, async (request, reply) => {
    const draft = await draftOf(request);
    if (!draft) return refusal(reply, 404, 'ページがありません');
    const fragment = draft.parsed.ok ? menuPreview(draft.parsed.rules, now()) : problems(draft.parsed.errors);
    return reply.type('text/html; charset=utf-8').send(fragment.value);
  });
  app.post(
    '/console/m/:code/rules/sample.pdf',
    { config: { access: 'rules:read' } },
    async (request, reply) => {
      const draft = await draftOf(request);
      if (!draft) return refusal(reply, 404, 'ページがありません');
      const pdf = await sampleCertificatePdf(draft.parsed.ok ? draft.parsed.rules : draft.current);
      if (!pdf) return refusal(reply, 503, '見本を描けません（書体がありません）');
      return reply.type('application/pdf').send(Buffer.from(pdf));
    },
  );

  // ── 利用登録 ───────────────────────────────────────────────────────────────────────────────
  const STATUS_JA = { pending: '審査中', approved: '承認', rejected: '却下' } as const;
  app.get(
    '/console/m/:code/registrations',
    { config: { access: 'registrations:read' } },
    async (request, reply) => {
      const s = signedIn(request);
      const list = await registers.listUseRegistrations(s.user.municipalityCode);
      const decide = can(s.user.role, 'registrations:decide');
      const rows = await Promise.all(
        list.map(async (r) => {
          const dv = (await repository.getResident(r.holderId))?.dvBlock === true;
          const holder = dv ? '（支援措置のため非表示）' : r.holderId;
          const buttons =
            decide && r.status === 'pending'
              ? html`<form method="post" action="${base(s)}/registrations/decision">
                  ${csrfField(s.session)}
                  <input type="hidden" name="requestId" value="${r.requestId}" />
                  <button name="decision" value="approved" aria-label="${r.requestId} を承認">承認</button>
                  <button name="decision" value="rejected" aria-label="${r.requestId} を却下">却下</button>
                </form>`
              : '';
          return html`<tr>
            <td>${r.requestId}</td>
            <td>${holder}</td>
            <td>${STATUS_JA[r.status]}</td>
            <td>${japanIsoDateTime(new Date(r.filedAt))}</td>
            <td>${buttons}</td>
          </tr>`;
        }),
      );
      return sendPage(
        reply,
        200,
        page(
          '本籍地 利用登録',
          html`${flash((request.query as { done?: string }).done)}
            <table>
              <thead>
                <tr>
                  <th>申請番号</th>
                  <th>申請者</th>
                  <th>状態</th>
                  <th>申請日時</th>
                  <th>決定</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`,
          await contextOf(s),
        ),
      );
    },
  );
  app.post(
    '/console/m/:code/registrations/decision',
    { config: { access: 'registrations:decide' } },
    async (request, reply) => {
      const s = signedIn(request);
      const decision = field(request, 'decision');
      if (decision !== 'approved' && decision !== 'rejected')
        return refusal(reply, 400, '決定が正しくありません');
      const result = await operations.decideRegistration(actorOf(s), field(request, 'requestId'), decision);
      if (!result.ok)
        return refusal(
          reply,
          failureStatus(result.failure),
          result.failure.kind === 'not-found' ? '申請がありません' : '決定済みです',
        );
      return reply.redirect(`${base(s)}/registrations?done=decided`, 303);
    },
  );

  // ── 印鑑登録の廃止 ──────────────────────────────────────────────────────────────────────────
  const inkanPage = async (s: SignedIn, reply: FastifyReply, status: number, note: Html) =>
    sendPage(
      reply,
      status,
      page(
        '印鑑登録の廃止',
        html`${note}
          <form method="post" action="${base(s)}/inkan/abolish">
            ${csrfField(s.session)}
            <p>
              <label>住民の番号 <input name="holderId" required /></label>
            </p>
            <p>
              <label>廃止日（空欄は本日） <input name="onDate" placeholder="YYYY-MM-DD" /></label>
            </p>
            <p><button>廃止する</button></p>
          </form>`,
        await contextOf(s),
      ),
    );
  app.get('/console/m/:code/inkan', { config: { access: 'inkan:abolish' } }, async (request, reply) =>
    inkanPage(signedIn(request), reply, 200, flash((request.query as { done?: string }).done)),
  );
  app.post(
    '/console/m/:code/inkan/abolish',
    { config: { access: 'inkan:abolish' } },
    async (request, reply) => {
      const s = signedIn(request);
      const onDate = field(request, 'onDate');
      if (onDate !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(onDate))
        return inkanPage(s, reply, 422, problems(['廃止日: YYYY-MM-DD']));
      const result = await operations.abolishInkan(
        actorOf(s),
        field(request, 'holderId'),
        onDate || undefined,
      );
      if (!result.ok)
        return inkanPage(
          s,
          reply,
          failureStatus(result.failure),
          problems([
            result.failure.kind === 'not-found'
              ? 'この市区町村の印鑑登録がありません'
              : '既に廃止されています',
          ]),
        );
      return reply.redirect(`${base(s)}/inkan?done=abolished`, 303);
    },
  );

  // ── DV 支援措置 (DV officers only) ─────────────────────────────────────────────────────────
  const dvPage = async (s: SignedIn, reply: FastifyReply, status: number, note: Html) => {
    const holders = await store.listDvBlockedHolders(s.user.municipalityCode);
    const rows = await Promise.all(
      holders.map(async (holderId) => {
        const r = await repository.getResident(holderId);
        return html`<tr>
          <td>${holderId}</td>
          <td>${r?.name ?? ''}</td>
          <td>
            <form method="post" action="${base(s)}/dv">
              ${csrfField(s.session)}<input type="hidden" name="holderId" value="${holderId}" />
              <button name="action" value="lift" aria-label="${holderId} の支援措置を解除">解除</button>
            </form>
          </td>
        </tr>`;
      }),
    );
    return sendPage(
      reply,
      status,
      page(
        'DV等支援措置',
        html`${note}
          <form method="post" action="${base(s)}/dv">
            ${csrfField(s.session)}
            <p>
              <label>住民の番号 <input name="holderId" required /></label>
              <button name="action" value="block">支援措置を設定</button>
            </p>
          </form>
          <h2>支援措置の対象者</h2>
          <table>
            <thead>
              <tr>
                <th>住民の番号</th>
                <th>氏名</th>
                <th>解除</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>`,
        await contextOf(s),
      ),
    );
  };
  app.get('/console/m/:code/dv', { config: { access: 'dv:manage' } }, async (request, reply) =>
    dvPage(signedIn(request), reply, 200, flash((request.query as { done?: string }).done)),
  );
  app.post('/console/m/:code/dv', { config: { access: 'dv:manage' } }, async (request, reply) => {
    const s = signedIn(request);
    const action = field(request, 'action');
    if (action !== 'block' && action !== 'lift') return refusal(reply, 400, '操作が正しくありません');
    const result = await operations.setDvBlock(actorOf(s), field(request, 'holderId'), action === 'block');
    if (!result.ok)
      return dvPage(s, reply, failureStatus(result.failure), problems(['この市区町村の住民ではありません']));
    return reply.redirect(`${base(s)}/dv?done=${action === 'block' ? 'blocked' : 'lifted'}`, 303);
  });

  // ── usage ──────────────────────────────────────────────────────────────────────────────
  app.get('/console/m/:code/usage', { config: { access: 'usage:read' } }, async (request, reply) => {
    const s = signedIn(request);
    const table = usageOf(await repository.listBillingRecords(), s.user.municipalityCode);
    const rows = table.months.map(
      (m) =>
        html`<tr>
          <th scope="row">${m}</th>
          ${Object.keys(CERTIFICATE_TITLES_JA).map(
            (t) => html`<td>${table.copies[t as keyof typeof table.copies][m] ?? 0}</td>`,
          )}
          <td>${table.yen[m] ?? 0}</td>
        </tr>`,
    );
    return sendPage(
      reply,
      200,
      page(
        '利用状況',
        html`${usageChart(table)}
          <table>
            <thead>
              <tr>
                <th>月</th>
                ${Object.values(CERTIFICATE_TITLES_JA).map((t) => html`<th>${t}</th>`)}
                <th>手数料（円）</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
          <p><a href="${base(s)}/usage.csv" download>CSVで保存</a></p>`,
        await contextOf(s),
      ),
    );
  });
  app.get('/console/m/:code/usage.csv', { config: { access: 'usage:read' } }, async (request, reply) => {
    const s = signedIn(request);
    const table = usageOf(await repository.listBillingRecords(), s.user.municipalityCode);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="usage-${s.user.municipalityCode}.csv"`)
      .send(usageCsv(table));
  });

  // ── audit ──────────────────────────────────────────────────────────────────────────────
  const json = (value: unknown) => (value === undefined ? '' : JSON.stringify(value, null, 1));
  const auditRow = (row: AuditRow, seesRestricted: boolean) => {
    const hidden = row.restricted && !seesRestricted;
    const secret = '（DV支援措置のため非表示）';
    return html`<tr>
      <td>${japanIsoDateTime(new Date(row.at))}</td>
      <td>${row.actor}</td>
      <td>${row.action}</td>
      <td>${hidden ? secret : row.target}</td>
      <td><pre>${hidden ? '' : json(row.before)}</pre></td>
      <td><pre>${hidden ? '' : json(row.after)}</pre></td>
    </tr>`;
  };
  app.get('/console/m/:code/audit', { config: { access: 'audit:read' } }, async (request, reply) => {
    const s = signedIn(request);
    const rows = (await store.listAudit(s.user.municipalityCode)).reverse();
    return sendPage(
      reply,
      200,
      page(
        '監査記録',
        html`<p>変更の記録（新しい順）。記録は追加のみで、変更も削除もできません。</p>
          <table>
            <thead>
              <tr>
                <th>日時</th>
                <th>実行者</th>
                <th>操作</th>
                <th>対象</th>
                <th>変更前</th>
                <th>変更後</th>
              </tr>
            </thead>
            <tbody>
              ${rows.map((r) => auditRow(r, s.user.role === 'dv-officer'))}
            </tbody>
          </table>`,
        await contextOf(s),
      ),
    );
  });

  // ── users (the municipality's administrator) ───────────────────────────────────────────
  const usersPage = async (s: SignedIn, reply: FastifyReply, status: number, note: Html) => {
    const users = await store.listUsers(s.user.municipalityCode);
    const t = now().getTime();
    const rows = users.map((u) => {
      const locked = u.lockedUntil !== undefined && u.lockedUntil > t;
      const button = (action: string, label: string) =>
        html`<form method="post" action="${base(s)}/users/update">
          ${csrfField(s.session)}<input type="hidden" name="userId" value="${u.userId}" />
          <button name="action" value="${action}" aria-label="${u.login} を${label}">${label}</button>
        </form>`;
      const roleForm = html`<form method="post" action="${base(s)}/users/update">
        ${csrfField(s.session)}<input type="hidden" name="userId" value="${u.userId}" />
        <label
          >${u.login} の役割
          <select name="role">
            ${CONSOLE_ROLES.map((r) => html`<option value="${r}" ${r === u.role ? html`selected` : ''}>${ROLE_TITLES_JA[r]}</option>`)}
          </select></label
        >
        <button name="action" value="role" aria-label="${u.login} の役割を変更">役割を変更</button>
      </form>`;
      return html`<tr>
        <td>${u.login}</td>
        <td>${ROLE_TITLES_JA[u.role]}</td>
        <td>${u.disabled ? '無効' : locked ? 'ロック中' : '有効'}</td>
        <td>
          ${u.userId === s.user.userId ? '' : html`${u.disabled ? button('enable', '有効にする') : button('disable', '無効にする')}${locked ? button('unlock', 'ロック解除') : ''}${roleForm}`}
        </td>
      </tr>`;
    });
    return sendPage(
      reply,
      status,
      page(
        '利用者管理',
        html`${note}
          <table>
            <thead>
              <tr>
                <th>利用者名</th>
                <th>役割</th>
                <th>状態</th>
                <th>操作</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
          <h2>利用者の追加</h2>
          <form method="post" action="${base(s)}/users">
            ${csrfField(s.session)}
            <p>
              <label>新しい利用者名 <input name="login" required /></label>
            </p>
            <p>
              <label
                >役割
                <select name="role">
                  ${CONSOLE_ROLES.map((r) => html`<option value="${r}">${ROLE_TITLES_JA[r]}</option>`)}
                </select></label
              >
            </p>
            <p>
              <label
                >初期パスワード（12文字以上）
                <input name="password" type="password" autocomplete="new-password" required
              /></label>
            </p>
            <p><button>追加する</button></p>
          </form>`,
        await contextOf(s),
      ),
    );
  };
  app.get('/console/m/:code/users', { config: { access: 'users:manage' } }, async (request, reply) =>
    usersPage(signedIn(request), reply, 200, flash((request.query as { done?: string }).done)),
  );
  const NEW_USER_PROBLEMS = {
    'login-taken': 'この利用者名は使われています',
    'bad-login': '利用者名は英小文字・数字・._@- の3〜64文字です',
    'too-short': 'パスワードは12文字以上です',
    'too-long': 'パスワードが長すぎます',
  } as const;
  app.post('/console/m/:code/users', { config: { access: 'users:manage' } }, async (request, reply) => {
    const s = signedIn(request);
    const role = field(request, 'role');
    if (!isConsoleRole(role)) return usersPage(s, reply, 422, problems(['役割が正しくありません']));
    const made = await newConsoleUser(store, {
      municipalityCode: s.user.municipalityCode,
      login: field(request, 'login'),
      role,
      password: field(request, 'password'),
      now: now().getTime(),
    });
    if (!made.ok) return usersPage(s, reply, 422, problems([NEW_USER_PROBLEMS[made.failure.kind]]));
    if ((await store.createUser(made.user)) === 'login-taken')
      return usersPage(s, reply, 422, problems([NEW_USER_PROBLEMS['login-taken']]));
    await store.append({
      municipalityCode: s.user.municipalityCode,
      at: now().getTime(),
      actor: actorOf(s).name,
      action: 'user.create',
      target: `user:${made.user.login}`,
      restricted: false,
      after: { login: made.user.login, role: made.user.role },
    });
    return reply.redirect(`${base(s)}/users?done=created`, 303);
  });
  app.post(
    '/console/m/:code/users/update',
    { config: { access: 'users:manage' } },
    async (request, reply) => {
      const s = signedIn(request);
      const target = await store.userById(field(request, 'userId'));
      // Another municipality's user id is answered as unknown: nothing to see or change.
      if (!target || target.municipalityCode !== s.user.municipalityCode)
        return refusal(reply, 404, '利用者がいません');
      if (target.userId === s.user.userId) return refusal(reply, 409, '自分自身は変更できません');
      const action = field(request, 'action');
      const before = {
        role: target.role,
        disabled: target.disabled,
        failedAttempts: target.failedAttempts,
        locked: target.lockedUntil !== undefined,
      };
      if (action === 'disable' || action === 'enable') {
        await store.setDisabled(target.userId, action === 'disable');
        if (action === 'disable') await store.deleteSessionsOf(target.userId);
      } else if (action === 'unlock') await store.resetFailedSignIns(target.userId);
      else if (action === 'role') {
        const role = field(request, 'role');
        if (!isConsoleRole(role)) return refusal(reply, 400, '役割が正しくありません');
        await store.setRole(target.userId, role);
      } else return refusal(reply, 400, '操作が正しくありません');
      const after = await store.userById(target.userId);
      await store.append({
        municipalityCode: s.user.municipalityCode,
        at: now().getTime(),
        actor: actorOf(s).name,
        action: `user.${action}`,
        target: `user:${target.login}`,
        restricted: false,
        before,
        after: {
          role: after?.role,
          disabled: after?.disabled,
          failedAttempts: after?.failedAttempts,
          locked: after?.lockedUntil !== undefined,
        },
      });
      return reply.redirect(`${base(s)}/users?done=updated`, 303);
    },
  );

  app.setNotFoundHandler((_request, reply) => refusal(reply, 404, 'ページがありません'));
  app.setErrorHandler((error: { statusCode?: number; name?: string }, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500
        ? error.statusCode
        : 500;
    if (status === 500) request.log.error({ err: { type: error.name } }, 'console failure');
    return refusal(reply, status, status === 500 ? '処理できませんでした' : '要求が正しくありません');
  });
  return Object.assign(app, { consoleRoutes: routes });
}
