/**
 * The phone page's words, Japanese and English (as the centre's other pages: the public check
 * page and the console). Every language has every key (the type says so). A refusal is told in
 * words by its code; an unknown code gets the general sentence with the code.
 */
export type PhoneLang = 'ja' | 'en';

export interface PhoneTexts {
  title: string;
  otherLanguage: string;
  lead: string;
  steps: readonly string[];
  readerBridge: string;
  readerNone: string;
  readerUnreachable: string;
  collationLabel: string;
  collationHint: string;
  collationFromCard: string;
  pinLabel: string;
  pinHint: string;
  /** Which PIN was forgotten (the other one proves the card). */
  forgotHeading: string;
  forgotSigning: string;
  forgotAuth: string;
  bothForgotten: string;
  signingPinLabel: string;
  missingSigningPin: string;
  wrongSigningPin: (triesLeft: number) => string;
  /** Under the password: which PIN it resets at the kiosk. */
  resets: Readonly<Record<'signing' | 'auth', string>>;
  selfieHeading: string;
  cameraStart: string;
  cameraCapture: string;
  cameraRetake: string;
  cameraVideo: string;
  cameraUnavailable: string;
  fileLabel: string;
  selfiePreview: string;
  send: string;
  sending: string;
  missingPin: string;
  missingCollation: string;
  missingSelfie: string;
  grantedHeading: string;
  passwordLabel: string;
  validUntil: (when: string) => string;
  passwordUse: string;
  boundCard: (when: string) => string;
  refusedHeading: string;
  wrongPin: (triesLeft: number) => string;
  pinLocked: string;
  collationRefused: string;
  cardError: string;
  centreUnreachable: string;
  refusal: Readonly<Record<string, string>>;
  refusalOther: (code: string) => string;
  dateLocale: string;
  timeZoneNote: string;
}

const ja: PhoneTexts = {
  title: '暗証番号の初期化・再設定：スマートフォンでの本人確認',
  otherLanguage: 'English',
  lead: 'マイナンバーカードの署名用電子証明書の暗証番号を忘れたときは、ここで本人確認をしてから、コンビニのキオスク端末で新しい暗証番号を設定できます。',
  steps: [
    'マイナンバーカードをスマートフォンにかざします。',
    '照合番号Bと、利用者証明用電子証明書の暗証番号（数字4桁）を入力します。',
    'ご自身の顔を撮影します。カードの顔写真と照合します。',
    '表示されたワンタイムパスワード（数字8桁）を、24時間以内にキオスク端末の「暗証番号の初期化・再設定」で入力します。',
  ],
  readerBridge: 'カードを読み取れます（開発用：カードブリッジのテスト用カード）。',
  readerNone: 'このブラウザーはカードを読み取れません。カードの読み取りに対応したアプリでお使いください。',
  readerUnreachable: 'カードに接続できませんでした。カードをかざし直して、もう一度お試しください。',
  collationLabel: '照合番号B',
  collationHint:
    '生年月日（6桁）、カードの有効期限の西暦（4桁）、セキュリティコード（4桁）を続けて入力します。',
  collationFromCard: '照合番号Bは、開発用のテスト用カードから読み取ります（入力は不要です）。',
  pinLabel: '利用者証明用電子証明書の暗証番号（数字4桁）',
  pinHint: '入力した暗証番号は、カードに送るだけで、保存も送信もしません。',
  forgotHeading: 'どちらの暗証番号を忘れましたか',
  forgotSigning: '署名用の暗証番号（英数字6〜16文字）：数字4桁の暗証番号で本人確認します',
  forgotAuth: '利用者証明用の暗証番号（数字4桁）：署名用の暗証番号で本人確認します',
  bothForgotten: '両方の暗証番号を忘れた場合は、市区町村の窓口で再設定してください。',
  signingPinLabel: '署名用電子証明書の暗証番号（英数字6〜16文字）',
  missingSigningPin: '署名用の暗証番号（英数字6〜16文字）を入力してください。',
  wrongSigningPin: (triesLeft) => `署名用の暗証番号が違います。あと${triesLeft}回まで入力できます。`,
  resets: {
    signing: 'このパスワードで再設定できるのは、署名用の暗証番号です。',
    auth: 'このパスワードで再設定できるのは、利用者証明用の暗証番号（数字4桁）です。',
  },
  selfieHeading: '顔写真の撮影',
  cameraStart: 'カメラを起動する',
  cameraCapture: '撮影する',
  cameraRetake: '撮り直す',
  cameraVideo: 'カメラの映像',
  cameraUnavailable: 'カメラを使えません。写真を選んでください。',
  fileLabel: '写真を選ぶ（カメラを使えないとき）',
  selfiePreview: '撮影した顔写真',
  send: '送信する',
  sending: '確認しています。しばらくお待ちください…',
  missingPin: '暗証番号（数字4桁）を入力してください。',
  missingCollation: '照合番号B（15桁）を入力してください。',
  missingSelfie: '顔写真を撮影するか、選んでください。',
  grantedHeading: '本人確認ができました',
  passwordLabel: 'ワンタイムパスワード',
  validUntil: (when) => `有効期限：${when}まで（1回限り）`,
  passwordUse:
    'キオスク端末で「暗証番号の初期化・再設定」を選び、カードと暗証番号（数字4桁）のあと、このワンタイムパスワードを入力してください。',
  boundCard: (when) =>
    `${when}まで、このカードで暗証番号を設定し直せます。キオスク端末ではカードと暗証番号（数字4桁）だけで手続きできます。`,
  refusedHeading: '本人確認ができませんでした',
  wrongPin: (triesLeft) => `暗証番号が違います。あと${triesLeft}回まで入力できます。`,
  pinLocked: '暗証番号がロックされています。市区町村の窓口で暗証番号を設定し直してください。',
  collationRefused: '照合番号Bが違います。カードの表面を確かめて、もう一度入力してください。',
  cardError: 'カードを読み取れませんでした。カードをかざし直して、もう一度お試しください。',
  centreUnreachable: 'センターに接続できませんでした。通信状態を確かめて、もう一度お試しください。',
  refusal: {
    'face-mismatch':
      '撮影した顔と、カードの顔写真が一致しませんでした。明るい場所で、正面から撮り直してください。',
    'no-face-in-selfie': '写真から顔を見つけられませんでした。顔全体が写るように撮り直してください。',
    'several-faces-in-selfie': '写真に複数の顔が写っています。ご本人だけが写るように撮り直してください。',
    'selfie-unreadable': '写真を読み取れませんでした。撮り直すか、別の写真を選んでください。',
    'signing-certificate-revoked':
      '署名用電子証明書が失効しています。暗証番号の再設定ではなく、市区町村の窓口で電子証明書の発行を申請してください。',
    'basic-information-changed':
      'カードの記載事項（氏名・住所・生年月日・性別）が、住民票と異なります。市区町村の窓口でカードの記載事項を変更してください。',
    'card-face-invalid': 'カードの券面情報を確認できませんでした。市区町村の窓口にご相談ください。',
    'photo-unreadable': 'カードの顔写真を読み取れませんでした。市区町村の窓口にご相談ください。',
    'no-face-on-card': 'カードの顔写真を照合に使えませんでした。市区町村の窓口にご相談ください。',
    'certificate-revoked': '利用者証明用電子証明書が失効しています。市区町村の窓口にご相談ください。',
    'certificate-expired': '電子証明書の有効期限が切れています。市区町村の窓口で更新してください。',
    'resident-moved-out': '転出の届出により、このカードの電子証明書は使えません。',
    'resident-deceased': 'このカードはお使いいただけません。',
    'challenge-expired': '時間がたちすぎました。最初からやり直してください。',
    'too-many-attempts':
      'このカード、またはこの通信環境からの本人確認が短時間に続いたため、受付を一時停止しています。10分ほど待ってから、もう一度お試しください。',
  },
  refusalOther: (code) => `手続きできませんでした（${code}）。市区町村の窓口にご相談ください。`,
  dateLocale: 'ja-JP',
  timeZoneNote: '（日本時間）',
};

const en: PhoneTexts = {
  title: 'PIN reset: identity check on your phone',
  otherLanguage: '日本語',
  lead: 'Forgot the PIN of your My Number Card’s signing certificate? Check who you are here, then set a new PIN at a convenience-store kiosk.',
  steps: [
    'Hold your My Number Card to the phone.',
    'Type the collation number B and the 4-digit PIN of the user-authentication certificate.',
    'Take a photo of your face; it is compared with the photo on the card.',
    'Within 24 hours, type the 8-digit one-time password shown here at the kiosk, under “PIN reset”.',
  ],
  readerBridge: 'The card can be read (development: the card bridge’s test card).',
  readerNone: 'This browser cannot read the card. Use an app that reads the card over NFC.',
  readerUnreachable: 'Could not reach the card. Hold it to the phone again and retry.',
  collationLabel: 'Collation number B',
  collationHint:
    'Birth date (6 digits), the card’s expiry year (4 digits) and the security code (4 digits), run together.',
  collationFromCard: 'Collation number B is read from the development test card (nothing to type).',
  pinLabel: 'PIN of the user-authentication certificate (4 digits)',
  pinHint: 'The PIN goes only to the card; it is neither kept nor sent.',
  forgotHeading: 'Which PIN did you forget?',
  forgotSigning: 'The signing PIN (6–16 letters and digits): your 4-digit PIN proves the card',
  forgotAuth: 'The 4-digit user-authentication PIN: your signing PIN proves the card',
  bothForgotten: 'If you have forgotten both PINs, please have them reset at your municipality’s counter.',
  signingPinLabel: 'PIN of the signing certificate (6–16 letters and digits)',
  missingSigningPin: 'Type the signing PIN (6–16 letters and digits).',
  wrongSigningPin: (triesLeft) => `Wrong signing PIN. ${triesLeft} tries left.`,
  resets: {
    signing: 'This password resets the signing PIN.',
    auth: 'This password resets the 4-digit user-authentication PIN.',
  },
  selfieHeading: 'Photo of your face',
  cameraStart: 'Start the camera',
  cameraCapture: 'Take the photo',
  cameraRetake: 'Take it again',
  cameraVideo: 'Camera picture',
  cameraUnavailable: 'The camera cannot be used. Choose a photo instead.',
  fileLabel: 'Choose a photo (when the camera cannot be used)',
  selfiePreview: 'Your photo',
  send: 'Send',
  sending: 'Checking. Please wait…',
  missingPin: 'Type the 4-digit PIN.',
  missingCollation: 'Type collation number B (15 characters).',
  missingSelfie: 'Take or choose a photo of your face.',
  grantedHeading: 'Identity checked',
  passwordLabel: 'One-time password',
  validUntil: (when) => `Valid until ${when} (one use only)`,
  passwordUse:
    'At the kiosk choose “PIN reset”, then after the card and the 4-digit PIN type this one-time password.',
  boundCard: (when) =>
    `Until ${when} this card can have its PIN reset: at the kiosk only the card and the 4-digit PIN are needed.`,
  refusedHeading: 'Identity not confirmed',
  wrongPin: (triesLeft) => `Wrong PIN. ${triesLeft} tries left.`,
  pinLocked: 'The PIN is locked. Have it reset at your municipality’s counter.',
  collationRefused: 'Wrong collation number B. Check the front of the card and type it again.',
  cardError: 'The card could not be read. Hold it to the phone again and retry.',
  centreUnreachable: 'Could not reach the centre. Check the connection and retry.',
  refusal: {
    'face-mismatch':
      'Your photo does not match the photo on the card. Take it again facing the camera, in good light.',
    'no-face-in-selfie': 'No face was found in the photo. Take it again with your whole face in the picture.',
    'several-faces-in-selfie': 'The photo shows several faces. Take it again with only yourself in it.',
    'selfie-unreadable': 'The photo could not be read. Take it again or choose another.',
    'signing-certificate-revoked':
      'The signing certificate is revoked: a PIN reset cannot help. Apply for a new certificate at your municipality’s counter.',
    'basic-information-changed':
      'Name, address, birth date or sex on the card differ from the residents’ register. Have the card updated at your municipality’s counter.',
    'card-face-invalid':
      'The card’s printed-face data could not be checked. Ask your municipality’s counter.',
    'photo-unreadable': 'The photo on the card could not be read. Ask your municipality’s counter.',
    'no-face-on-card': 'The photo on the card cannot be used for the check. Ask your municipality’s counter.',
    'certificate-revoked': 'The user-authentication certificate is revoked. Ask your municipality’s counter.',
    'certificate-expired': 'The certificate has expired. Renew it at your municipality’s counter.',
    'resident-moved-out': 'After a move out, this card’s certificates cannot be used.',
    'resident-deceased': 'This card cannot be used.',
    'challenge-expired': 'Too much time passed. Start again.',
    'too-many-attempts':
      'Too many identity checks for this card, or from this network, in a short time. Please wait about 10 minutes and try again.',
  },
  refusalOther: (code) => `Not possible (${code}). Ask your municipality’s counter.`,
  dateLocale: 'en-GB',
  timeZoneNote: ' (Japan time)',
};

export const PHONE_TEXTS: Readonly<Record<PhoneLang, PhoneTexts>> = { ja, en };
