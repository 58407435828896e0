import { renderCertificatePdf } from '../../certificate-templates/render.ts';
import { sampleHousehold } from '../../certificate-templates/sample-documents.ts';
import { SAMPLE_PRINTED_AT, sampleSeals } from '../../certificate-templates/sample-set.ts';
import { CERTIFICATE_TITLES_JA } from '../../protocol/certificate-types.ts';
import type { UnavailableReason } from '../../protocol/api.ts';
import type { ResidentRecord } from '../db/records.ts';
import { buildMenu, municipalityOpen, noticesFor } from '../municipal/menu.ts';
import { japanTime } from '../municipal/japanTime.ts';
import type { MunicipalRules } from '../municipal/rules.ts';
import { currentFiscalYear } from '../municipal/menu.ts';
import { html, type Html } from './html.ts';

/**
 * The live preview of a draft of the rules: the kiosk menu as the centre would build it now for a
 * synthetic adult resident (本籍 here, 印鑑 registered, tax on file), and a sample 住民票 drawn by
 * the certificate templates with fictional data and the draft's municipality and mayor.
 */
function syntheticResident(code: string): ResidentRecord {
  return {
    holderId: 'SAMPLE',
    householdId: 'SAMPLE',
    municipalityCode: code,
    householdOrder: 1,
    name: '見本\u3000花子',
    nameKana: 'ミホン\u3000ハナコ',
    birthDate: '1980-04-01',
    sex: '女',
    relationship: '世帯主',
    residentSince: '2010-04-01',
    status: 'resident',
    dvBlock: false,
    inkanRegistered: true,
    honseki: {
      municipalityCode: code,
      address: '見本',
      hittousha: '見本\u3000太郎',
      kioskRegistration: true,
    },
  };
}

const REASONS_JA: Record<UnavailableReason, string> = {
  'not-offered': '交付していません',
  'outside-hours': '時間外',
  'registration-needed': '利用登録が必要',
  'dv-block': '交付できません',
  age: '年齢制限',
  'no-registration': '登録がありません',
  unprintable: '窓口で交付',
};

/** How far ahead, and in what steps, the preview looks for the service's next open moment. */
const OPEN_SEARCH_STEP_MS = 15 * 60_000;
const OPEN_SEARCH_LIMIT_MS = 14 * 24 * 60 * 60_000;

/**
 * The moment the menu is shown at: now when the kiosk service is open, else the next moment it is
 * (a quarter of an hour at a time, up to two weeks) — an editor at night sees the fees a resident
 * will see, not a menu of 時間外. Undefined when the rules never open in that time.
 */
export function previewMoment(rules: MunicipalRules, now: Date): Date | undefined {
  for (let t = now.getTime(); t <= now.getTime() + OPEN_SEARCH_LIMIT_MS; t += OPEN_SEARCH_STEP_MS) {
    const at = new Date(t);
    if (municipalityOpen(rules, at)) return at;
  }
  return undefined;
}

export function menuPreview(rules: MunicipalRules, now: Date): Html {
  const shownAt = previewMoment(rules, now);
  const openNow = shownAt?.getTime() === now.getTime();
  const menu = buildMenu({
    resident: syntheticResident(rules.code),
    residence: rules,
    honsekiMunicipality: rules,
    inkan: {
      holderId: 'SAMPLE',
      municipalityCode: rules.code,
      registrationNumber: '000001',
      registeredOn: '2010-04-01',
      status: 'registered',
      sealImagePx: 236,
      sealSizeMm: 15,
    },
    taxYears: [currentFiscalYear(now)],
    now,
    openingHoursAt: shownAt ?? now,
  });
  const notices = noticesFor(rules, now);
  return html`<section aria-label="キオスクのメニュー（プレビュー）" class="kiosk-menu">
    <h3>${rules.name} 証明書の種類を選んでください</h3>
    ${
      openNow
        ? ''
        : html`<p class="preview-note">
            ${
              shownAt
                ? `いまは受付時間外です。次の受付時間（${japanTime(shownAt).date} ${japanTime(shownAt).clock}）の表示です。`
                : 'この設定では2週間のうちに受付時間がありません。'
            }
          </p>`
    }
    <ul>
      ${menu.map((item) =>
        item.available
          ? html`<li class="available">
              <span>${CERTIFICATE_TITLES_JA[item.certificateType]}</span> <strong>${item.feeYen}円</strong>
              <small>（${item.maxCopies}部まで）</small>
            </li>`
          : html`<li class="unavailable">
              <span>${CERTIFICATE_TITLES_JA[item.certificateType]}</span>
              <small>${REASONS_JA[item.reason]}</small>
            </li>`,
      )}
    </ul>
    <p>
      受付時間
      ${rules.serviceHours.opens}〜${rules.serviceHours.closes}${rules.serviceHours.weekdaysOnly ? '（平日のみ）' : ''}
    </p>
    ${
      notices.length > 0
        ? html`<ul class="notices">
            ${notices.map((n) => html`<li>${n.ja}</li>`)}
          </ul>`
        : ''
    }
  </section>`;
}

/** A sample 住民票 (fictional household of two) with the draft's municipality: PDF bytes, or undefined when it cannot be drawn. */
export async function sampleCertificatePdf(rules: MunicipalRules): Promise<Uint8Array | undefined> {
  const base = sampleHousehold(2);
  const document = {
    ...base,
    municipality: {
      ...base.municipality,
      code: rules.code,
      name: rules.name,
      mayorTitle: rules.mayorTitle,
      mayorName: rules.mayorName,
    },
  };
  const rendered = await renderCertificatePdf({
    document,
    seals: await sampleSeals(document),
    printedAt: SAMPLE_PRINTED_AT,
  });
  return rendered.ok ? rendered.pdf : undefined;
}
