import type { KioskErrorCode, ReaderState } from '../../../electron/kiosk-api.ts';
import type {
  CertificateType,
  HouseholdScope,
  KosekiRegistrationStatus,
  UnavailableReason,
} from '../../../protocol/index.ts';

/**
 * Japanese, the kiosk's default language: polite and short, like the store machine speaks.
 * `{漢字|かんじ}` marks a reading shown as furigana (<ruby>) on the start screens; see RubyText.
 */
export const ja = {
  language: {
    /** This language's name in itself, for its button. */
    name: '日本語',
    picker: '言語 / Language',
    close: '閉じる',
  },
  app: {
    brand: 'コンビニ交付',
    service: '証明書交付サービス',
    transactionId: '受付番号',
    support: 'お問い合わせの際は、受付番号をお伝えください。',
    starting: '起動しています',
    startingDetail: 'しばらくお待ちください。',
    disconnected: 'ただいまご利用いただけません',
    disconnectedDetail: '端末を準備しています。しばらくお待ちください。',
    outOfService: 'ただいま休止中です',
    outOfServiceDetail:
      'この端末は再起動しています。カードをお取りください。お困りのときは店員にお知らせください。',
  },
  /** The operator's out-of-service switch: what residents read (electron/kiosk-api.ts OutOfServiceNotice). */
  outOfServiceNotice: {
    maintenance: 'この端末は点検中です。しばらくしてから、またはほかの端末をご利用ください。',
    supplies: 'ただいま用紙などを補充しています。しばらくお待ちください。',
    closed: '本日のこの端末での受付は終了しました。',
  },
  common: {
    cancel: '中止',
    back: '戻る',
    finish: '終了',
    yen: '{{amount}}円',
    pleaseWait: 'そのままお待ちください。',
    takeCard: 'カードのお取り忘れにご注意ください。',
  },
  timeLimit: {
    title: 'まもなく時間切れです',
    remaining: 'のこり {{seconds}} 秒',
    extend: '延長する',
    announce: 'あと{{seconds}}秒で終了します。続けるには「延長する」を押してください。',
  },
  display: {
    label: '見やすさ',
    contrast: 'くっきり表示',
    largeText: '文字を大きく',
  },
  guide: {
    speak: '音声案内',
    digitEntered: '数字が入力されました',
    digitDeleted: '数字を一つ消しました',
    volume: '音量',
  },
  cancelDialog: {
    title: 'お手続きを中止しますか？',
    body: 'ここまでの内容は取り消されます。証明書は発行されず、手数料はかかりません。',
    refund: '投入されたお金は返却します。',
    confirm: '中止する',
    keep: '手続きを続ける',
  },
  steps: {
    label: '手続きの流れ',
    card: 'カード',
    pin: '暗証番号',
    choose: '証明書の選択',
    confirm: '確認',
    pay: 'お支払い',
    print: '印刷',
    current: '現在の手順',
  },
  welcome: {
    heading: 'マイナンバーカードで\n{証明書|しょうめいしょ}を{取得|しゅとく}できます',
    lead: '住民票の写し・印鑑登録証明書などを、この場で印刷します。',
    start: '{証明書|しょうめいしょ}の{交付|こうふ}',
    startHint: 'ボタンを押して始めてください',
    pinReset: '{暗証番号|あんしょうばんごう}の{初期化|しょきか}・{再設定|さいせってい}',
    pinResetHint:
      '署名用電子証明書の暗証番号（英数字6〜16文字）を、スマートフォンでの本人確認のあとで設定し直せます。',
    needs: 'ご{用意|ようい}いただくもの',
    needCard: 'マイナンバーカード',
    needPin: '{暗証番号|あんしょうばんごう}（数字4桁）',
    needFee: '{交付手数料|こうふてすうりょう}',
    reader: {
      ready: '',
      'no-reader': 'カードリーダーが使用できないため、ただいまご利用いただけません。',
      'service-down': 'ただいまサービスを停止しています。しばらくしてから、ご利用ください。',
    } satisfies Record<ReaderState, string>,
  },
  placeCard: {
    heading: 'マイナンバーカードを{置|お}いてください',
    body: '顔写真のある面を上にして、カードリーダーに置いてください。',
    hint: '証明書が印刷されるまで、カードは置いたままにしてください。',
    readerLabel: 'カードリーダー',
  },
  readingCard: {
    heading: 'カードを読み取っています',
    body: 'カードを動かさずに、そのままお待ちください。',
  },
  /** The PIN reset (issue 11): the one-time password, the new 署名用 PIN twice, the outcome. */
  pinReset: {
    password: {
      heading: 'ワンタイムパスワード（数字8桁）を入力してください',
      body: 'スマートフォンでの顔認証のあとに表示された、数字8桁のワンタイムパスワードを入力し、「確定」を押してください。',
      progress: '8桁中 {{count}}桁 入力済み',
      key: '数字 {{digit}}',
      keypad: 'ワンタイムパスワードの入力キー',
      triesLeft: 'あと{{count}}回まで入力できます',
      wrong: 'ワンタイムパスワードが違います。もう一度入力してください。',
      lock: '5回間違えると、このワンタイムパスワードは使えなくなります。',
    },
    newPin: {
      headingFirst: '新しい署名用の暗証番号を入力してください',
      headingAgain: '確認のため、もう一度入力してください',
      headingFirstAuth: '新しい利用者証明用の暗証番号（数字4桁）を入力してください',
      rulesAuth: '数字（0〜9）4桁です。',
      rules: '6〜16文字。英大文字（A〜Z）と数字（0〜9）が使えます。',
      progress: '{{count}}文字 入力済み',
      keyboard: '英数字の入力キー',
      key: '文字 {{char}}',
      tooShort: 'あと{{count}}文字以上入力してください。',
      mismatch: '1回目と2回目が違いました。もう一度、最初から入力してください。',
      privacy: '入力した文字は画面に表示されません。周りの方に見られないよう、手元を隠して入力してください。',
      guideEntered: '文字が入力されました',
      guideDeleted: '文字を一つ消しました',
    },
    backspace: '訂正',
    backspaceLabel: '訂正（1文字消す）',
    submit: '確定',
    working: { heading: '暗証番号を設定しています', body: 'カードを動かさずに、そのままお待ちください。' },
    done: {
      headingAuth: '利用者証明用の暗証番号を設定しました',
      heading: '署名用の暗証番号を設定しました',
      body: '新しい暗証番号は、次回から使えます。カードをお取りください。',
      finish: '終了',
    },
    outcome: {
      'new-pin': 'カードには新しい署名用の暗証番号が設定されています。',
      'old-pin': '署名用の暗証番号は変わっていません。これまでの暗証番号のままです。',
      unknown:
        '設定できたかどうか確認できませんでした。暗証番号は新しいものか、これまでのもののどちらかです。お困りのときは市区町村の窓口にご相談ください。',
    },
    choose: {
      heading: 'どちらの暗証番号を再設定しますか',
      signing: '署名用の暗証番号（英数字6〜16文字）',
      signingHint: '数字4桁の暗証番号を使って再設定します。',
      auth: '利用者証明用の暗証番号（数字4桁）',
      authHint: '署名用の暗証番号（英数字6〜16文字）を使って再設定します。',
    },
    signingPin: {
      heading: '署名用の暗証番号（英数字6〜16文字）を入力してください',
      body: 'マイナンバーカードの「署名用電子証明書」の暗証番号です。英大文字（A〜Z）と数字（0〜9）で入力し、「確定」を押してください。',
      wrong: '署名用の暗証番号が違います。あと{{count}}回まで入力できます。',
    },
    outcomeAuth: {
      'new-pin': 'カードには新しい利用者証明用の暗証番号（数字4桁）が設定されています。',
      'old-pin': '利用者証明用の暗証番号（数字4桁）は変わっていません。これまでの暗証番号のままです。',
      unknown:
        '設定できたかどうか確認できませんでした。数字4桁の暗証番号は新しいものか、これまでのもののどちらかです。お困りのときは市区町村の窓口にご相談ください。',
    },
    bothForgotten: '両方の暗証番号を忘れた場合は、市区町村の窓口で再設定してください。',
  },
  pinEntry: {
    heading: '{暗証番号|あんしょうばんごう}（数字4桁）を{入力|にゅうりょく}してください',
    body: 'マイナンバーカードの「利用者証明用電子証明書」の暗証番号（数字4桁）を入力し、「確定」を押してください。',
    notSigning: '署名用電子証明書のパスワード（英数字6〜16文字）ではありません。',
    privacy: '周りの方に見られないよう、手元を隠して入力してください。',
    progress: '4桁中 {{count}}桁 入力済み',
    key: '数字 {{digit}}',
    backspace: '訂正',
    backspaceLabel: '訂正（1桁消す）',
    submit: '確定',
    triesLeft: 'あと{{count}}回まで入力できます',
    lastTry:
      'あと1回間違えると暗証番号がロックされ、ご利用いただけなくなります。お忘れの場合は「中止」を押し、暗証番号を再設定してください（市区町村の窓口などで行えます）。',
    wrong: '暗証番号が違います。もう一度入力してください。',
    keypad: '暗証番号の入力キー',
  },
  authenticating: {
    heading: '確認しています',
    body: '電子証明書を確認しています。カードを動かさずにお待ちください。',
  },
  menu: {
    heading: '証明書を選んでください',
    municipality: '{{name}}の証明書',
    fee: '1通 {{fee}}',
    unavailable: 'お取り扱いできません',
    notices: '市区町村からのお知らせ',
    registrationAction: 'ここで申請できます',
    registrationFiled: '利用登録を申請済みです（本籍地で審査中）',
    noneHeading: 'この端末でお取りいただける証明書はありません',
    noneBody: '理由とお問い合わせ先は次のとおりです。',
  },
  /** Where to go when a certificate is unavailable for this reason (the menu's summary). */
  unavailableHelp: {
    'not-offered': 'お住まいの市区町村の窓口でお取りください。',
    'outside-hours': 'ご利用時間内に、あらためてお越しください。',
    'registration-needed': '本籍地の市区町村への利用登録を、この画面から申請できます。',
    'dv-block': 'お住まいの市区町村の窓口にお問い合わせください。',
    age: 'お住まいの市区町村の窓口でお取りください。',
    'no-registration': 'お住まいの市区町村の窓口でおたずねください。',
    unprintable: 'お手数ですが、お住まいの市区町村の窓口でお取りください。',
  } satisfies Record<UnavailableReason, string>,
  confirm: {
    heading: '内容をご確認ください',
    certificate: '証明書',
    feePerCopy: '1通の手数料',
    copies: '部数',
    copiesValue: '{{count}}通',
    copiesMinus: '1通減らす',
    copiesPlus: '1通増やす',
    maxCopies: '一度に{{count}}通まで',
    total: '合計金額',
    next: 'お支払いへ進む',
    options: '記載する内容',
    scope: '記載する人',
    scopes: {
      household: '世帯全員',
      self: 'ご本人のみ',
      members: '世帯の一部',
    } satisfies Record<HouseholdScope, string>,
    members: '記載する人を選んでください（複数選べます）',
    membersNeeded: '記載する人を1人以上選んでください。',
    membersLoading: '世帯の方のお名前を確認しています…',
    membersFailed:
      '世帯の方のお名前を取得できませんでした。もう一度お試しいただくか、ほかの記載範囲を選んでください。',
    membersRetry: 'もう一度',
    honseki: '本籍・筆頭者',
    relationship: '続柄',
    include: '記載する',
    omit: '省略する',
    taxYear: '年度',
    fiscalYear: '{{era}}年度（{{year}}年度）',
    eraReiwa: '令和{{n}}',
    eraHeisei: '平成{{n}}',
    eraFirstYear: '元',
    myNumberNote: '個人番号（マイナンバー）入りの住民票は、市区町村の窓口でお取りください。',
  },
  payment: {
    heading: '代金をお支払いください',
    body: '硬貨または紙幣を、投入口に入れてください。',
    copies: '{{count}}通',
    due: 'お支払い金額',
    paid: '投入金額',
    remaining: '不足金額',
    enough: 'お支払いが完了しました。証明書を発行します。',
    slot: '硬貨・紙幣投入口',
    slotAccepts: 'ご利用いただけるお金：10円・50円・100円・500円硬貨、千円札',
    noNotes: 'おつりが不足しているため、ただいま千円札はご利用いただけません。硬貨をお使いください。',
    cancelRefund: '中止すると、投入したお金は返却されます。',
  },
  issuing: {
    heading: '証明書を発行しています',
    body: 'しばらくお待ちください。カードは置いたままにしてください。',
  },
  printing: {
    heading: '印刷しています',
    progress: '{{total}}通を印刷しています',
    body: '印刷が終わるまで、カードを取らずにお待ちください。',
  },
  done: {
    heading: 'ご利用ありがとうございました',
    takeBoth: 'カードと証明書を必ずお取りください',
    takeCard: 'マイナンバーカード',
    takeCertificate: '証明書',
    takeChange: 'おつり {{amount}}',
    owed: 'おつりのうち {{amount}} をお返しできませんでした。お渡しした控えを店舗のレジにお持ちください。',
    forgetWarning: '取り忘れにご注意ください。',
    cardReminder: 'カードが読み取り機に残っています。マイナンバーカードをお取りください。',
    confirmTaken: '証明書を受け取ったら「受け取りました」を押してください。',
    finish: '受け取りました',
  },
  registration: {
    heading: '本籍地への利用登録を申請します',
    body: '本籍地がお住まいの市区町村と異なるため、戸籍の証明書をコンビニで取得するには、本籍地の市区町村への利用登録が必要です。',
    points: {
      identity: 'マイナンバーカードで確認したご本人の情報で申請します。',
      free: '申請に手数料はかかりません。',
      wait: '本籍地の市区町村が審査し、登録されるまでは戸籍の証明書は取得できません。',
    },
    submit: '利用登録を申請する',
    back: '戻る',
    filingHeading: '利用登録を申請しています',
    filingBody: 'カードを置いたまま、しばらくお待ちください。',
    requestId: '申請番号',
    done: {
      pending: {
        title: '利用登録を申請しました',
        body: '本籍地の{{name}}が申請を審査し、登録するかを決めます。結果が出るまで、通常は数日（土日・祝日を除く）かかります。登録されると、戸籍の証明書をコンビニで取得できるようになります。',
      },
      approved: {
        title: '利用登録は完了しています',
        body: '{{name}}への利用登録は承認されています。お手数ですが、最初からもう一度お手続きください。',
      },
      rejected: {
        title: '利用登録は承認されませんでした',
        body: '詳しくは、本籍地の{{name}}にお問い合わせください。',
      },
    } satisfies Record<KosekiRegistrationStatus, { title: string; body: string }>,
    backToMenu: '証明書の選択に戻る',
    finish: '終了',
  },
  error: {
    heading: 'お手続きを完了できませんでした',
    pinReset:
      '暗証番号の再設定は、お住まいの市区町村の窓口で行えます。署名用電子証明書のパスワード（英数字6〜16文字）がお分かりの場合は、暗証番号の再設定に対応したコンビニの端末でも行えます。',
    triesLeft: '暗証番号は、あと{{count}}回まで入力できます。',
    refunded: '投入された {{amount}} を返却しました。お受け取りください。',
    refunding: '投入されたお金を返却しています。しばらくお待ちください。',
    owed: '{{amount}} を機械からお返しできませんでした。お渡しした控えを店舗のレジにお持ちください。',
    takeCard: 'カードをお取りください。',
    finish: '終了',
  },
  certificate: {
    juminhyo: '住民票の写し',
    'juminhyo-kisai': '住民票記載事項証明書',
    inkan: '印鑑登録証明書',
    'shotoku-kazei': '所得・課税証明書',
    nozei: '納税証明書',
    'koseki-zenbu': '戸籍全部事項証明書',
    'koseki-kojin': '戸籍個人事項証明書',
    'koseki-fuhyo': '戸籍の附票の写し',
  } satisfies Record<CertificateType, string>,
  unavailable: {
    'not-offered': 'お住まいの市区町村では取り扱っていません',
    'outside-hours': 'ただいまの時間は取り扱っていません',
    'registration-needed': '本籍地への利用登録が必要です',
    'dv-block': '窓口でのお取り扱いとなります',
    age: 'ご利用の条件（年齢）を満たしていません',
    'no-registration': '登録がないため交付できません',
    unprintable: '記載内容をこの端末で印刷できません',
  } satisfies Record<UnavailableReason, string>,
  kioskError: {
    'card-removed': {
      title: 'カードが取り外されました',
      body: 'お手続きの途中でカードが取り外されたため、中止しました。もう一度最初からお手続きください。',
    },
    'card-unsupported': {
      title: 'このカードはご利用いただけません',
      body: 'マイナンバーカードをお使いください。住民基本台帳カードや通知カードはご利用いただけません。',
    },
    'card-communication': {
      title: 'カードを読み取れませんでした',
      body: 'カードの向きと置き方をお確かめのうえ、もう一度お試しください。',
    },
    'pin-locked': {
      title: '暗証番号がロックされています',
      body: '暗証番号（数字4桁）を続けて間違えたため、ロックされました。暗証番号を再設定すると、またご利用いただけます。',
    },
    'certificate-expired': {
      title: '電子証明書の有効期限が切れています',
      body: 'お住まいの市区町村の窓口で、電子証明書の更新をお手続きください。',
    },
    'certificate-revoked': {
      title: 'このカードの電子証明書は失効しています',
      body: 'お住まいの市区町村の窓口にお問い合わせください。',
    },
    'certificate-invalid': {
      title: '電子証明書を確認できませんでした',
      body: 'お住まいの市区町村の窓口にお問い合わせください。',
    },
    'resident-moved-out': {
      title: 'このカードでは証明書を交付できません',
      body: '転出などにより、お住まいの市区町村を確認できませんでした。市区町村の窓口にお問い合わせください。',
    },
    'resident-deceased': {
      title: 'このカードでは証明書を交付できません',
      body: '市区町村の窓口にお問い合わせください。',
    },
    'municipality-not-participating': {
      title: 'お住まいの市区町村はコンビニ交付を行っていません',
      body: '証明書は、市区町村の窓口でお取りください。',
    },
    'certificate-not-offered': {
      title: 'この証明書はお取り扱いできません',
      body: 'お住まいの市区町村では、この証明書をコンビニ交付で取り扱っていません。市区町村の窓口でお取りください。',
    },
    'age-restricted': {
      title: 'この証明書はお取り扱いできません',
      body: 'この証明書は、一定の年齢に達していない方にはコンビニ交付でお出しできません。市区町村の窓口でお取りください。',
    },
    'registration-needed': {
      title: '本籍地への利用登録が必要です',
      body: '戸籍の証明書をお取りになるには、本籍地の市区町村による利用登録の承認が必要です。承認後にもう一度ご利用ください。',
    },
    'no-registration': {
      title: '登録が確認できません',
      body: 'この証明書のもとになる登録（印鑑登録など）が確認できませんでした。廃止された場合も含みます。市区町村の窓口でおたずねください。',
    },
    'document-unprintable': {
      title: '証明書を印刷できません',
      body: 'ご登録の内容（文字や長さ）がこの端末の様式に収まらないため、交付を取りやめました。お支払いのお金はお返しします。お手数ですが、お住まいの市区町村の窓口でお取りください。',
    },
    'option-not-allowed': {
      title: 'ご指定の内容ではお取りできません',
      body: 'お選びになった記載内容は、お住まいの市区町村ではコンビニ交付で取り扱っていません。はじめからもう一度お選びください。',
    },
    'outside-hours': {
      title: 'ただいまの時間はご利用いただけません',
      body: 'ご利用時間内に、あらためてお越しください。',
    },
    'dv-block': {
      title: 'この証明書はお取り扱いできません',
      body: 'お手数ですが、市区町村の窓口にお問い合わせください。',
    },
    'fee-changed': {
      title: '手数料が変更されました',
      body: 'メニューを表示した後にこの証明書の手数料が変更されたため、交付していません。お預かりしたお金はお返しします。はじめからもう一度お選びください。',
    },
    'centre-unreachable': {
      title: '証明書交付センターに接続できません',
      body: 'しばらくしてから、もう一度お試しください。',
    },
    'document-invalid': {
      title: '証明書を正しく発行できませんでした',
      body: '印刷は行っていません。お手数ですが、もう一度お試しください。',
    },
    'printer-out-of-paper': {
      title: '用紙がなくなりました',
      body: 'お手数ですが、店員にお知らせください。',
    },
    'printer-jammed': {
      title: '用紙が詰まりました',
      body: 'お手数ですが、店員にお知らせください。',
    },
    'printer-unavailable': {
      title: 'プリンターが使用できません',
      body: 'お手数ですが、店員にお知らせください。',
    },
    timeout: {
      title: '一定時間操作がなかったため、中止しました',
      body: 'もう一度ご利用の場合は、最初からお手続きください。',
    },
    'card-not-placed': {
      title: 'カードが置かれなかったため、中止しました',
      body: 'カードリーダーにカードが置かれないまま、一定時間が過ぎました。もう一度ご利用の場合は、最初からお手続きください。',
    },
    cancelled: {
      title: 'お手続きを中止しました',
      body: '証明書は発行していません。手数料はかかりません。',
    },
    'payment-jammed': {
      title: '投入口でお金が詰まりました',
      body: '証明書は発行していません。投入されたお金は返却します。店員にお知らせください。',
    },
    'payment-unavailable': {
      title: 'ただいまお支払いができません',
      body: '硬貨・紙幣投入口が使えません。証明書は発行していません。店員にお知らせください。',
    },
    'pin-reset-refused': {
      title: '暗証番号を再設定できませんでした',
      body: 'ワンタイムパスワードの有効期限が切れているか、すでに使われているか、このカードのものではありません。暗証番号は変わっていません。スマートフォンで本人確認からやり直すか、市区町村の窓口でお手続きください。',
    },
    'pin-reset-in-use': {
      title: 'このカードの暗証番号の再設定が、ほかの端末で行われています',
      body: 'スマートフォンでの本人確認で得た再設定の許可（ワンタイムパスワード）が、ほかの端末で使われています。暗証番号は変わっていません。数分待ってから、もう一度お試しください。続く場合は、店員にお知らせください。',
    },
    internal: {
      title: 'エラーが発生しました',
      body: 'お手数ですが、もう一度最初からお試しください。',
    },
  } satisfies Record<KioskErrorCode, { title: string; body: string }>,
};

/** The shape every language must fill: the same keys as Japanese, any strings. */
export type Messages = Widen<typeof ja>;
type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
