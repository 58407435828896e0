/**
 * Word lists for the generated residents: common Japanese surnames and given names (kanji with
 * their katakana reading), real town names of the three demo municipalities, and the hard cases
 * (異体字 with ideographic variation sequences, characters only the MJ 明朝 font has, foreign
 * residents with 通称). Lists only; the choices are made by `generated.ts`.
 */

export interface Reading {
  kanji: string;
  kana: string;
}

const r = (kanji: string, kana: string): Reading => ({ kanji, kana });

/** Common surnames, roughly in order of frequency. */
export const SURNAMES: readonly Reading[] = [
  r('佐藤', 'サトウ'),
  r('鈴木', 'スズキ'),
  r('高橋', 'タカハシ'),
  r('田中', 'タナカ'),
  r('伊藤', 'イトウ'),
  r('渡辺', 'ワタナベ'),
  r('山本', 'ヤマモト'),
  r('中村', 'ナカムラ'),
  r('小林', 'コバヤシ'),
  r('加藤', 'カトウ'),
  r('吉田', 'ヨシダ'),
  r('山田', 'ヤマダ'),
  r('佐々木', 'ササキ'),
  r('山口', 'ヤマグチ'),
  r('松本', 'マツモト'),
  r('井上', 'イノウエ'),
  r('木村', 'キムラ'),
  r('林', 'ハヤシ'),
  r('斎藤', 'サイトウ'),
  r('清水', 'シミズ'),
  r('山崎', 'ヤマザキ'),
  r('森', 'モリ'),
  r('池田', 'イケダ'),
  r('橋本', 'ハシモト'),
  r('阿部', 'アベ'),
  r('石川', 'イシカワ'),
  r('山下', 'ヤマシタ'),
  r('中島', 'ナカジマ'),
  r('石井', 'イシイ'),
  r('小川', 'オガワ'),
  r('前田', 'マエダ'),
  r('岡田', 'オカダ'),
  r('長谷川', 'ハセガワ'),
  r('藤田', 'フジタ'),
  r('後藤', 'ゴトウ'),
  r('近藤', 'コンドウ'),
  r('村上', 'ムラカミ'),
  r('遠藤', 'エンドウ'),
  r('青木', 'アオキ'),
  r('坂本', 'サカモト'),
  r('斉藤', 'サイトウ'),
  r('福田', 'フクダ'),
  r('太田', 'オオタ'),
  r('西村', 'ニシムラ'),
  r('藤井', 'フジイ'),
  r('金子', 'カネコ'),
  r('岡本', 'オカモト'),
  r('藤原', 'フジワラ'),
  r('中野', 'ナカノ'),
  r('三浦', 'ミウラ'),
  r('原田', 'ハラダ'),
  r('中川', 'ナカガワ'),
  r('松田', 'マツダ'),
  r('竹内', 'タケウチ'),
  r('小野', 'オノ'),
  r('田村', 'タムラ'),
  r('中山', 'ナカヤマ'),
  r('和田', 'ワダ'),
  r('石田', 'イシダ'),
  r('森田', 'モリタ'),
  r('上田', 'ウエダ'),
  r('原', 'ハラ'),
  r('内田', 'ウチダ'),
  r('柴田', 'シバタ'),
  r('酒井', 'サカイ'),
  r('宮崎', 'ミヤザキ'),
  r('横山', 'ヨコヤマ'),
  r('高木', 'タカギ'),
  r('安藤', 'アンドウ'),
  r('宮本', 'ミヤモト'),
  r('大野', 'オオノ'),
  r('小島', 'コジマ'),
  r('谷口', 'タニグチ'),
  r('今井', 'イマイ'),
  r('工藤', 'クドウ'),
  r('高田', 'タカダ'),
  r('増田', 'マスダ'),
  r('丸山', 'マルヤマ'),
  r('杉山', 'スギヤマ'),
  r('村田', 'ムラタ'),
  r('大塚', 'オオツカ'),
  r('新井', 'アライ'),
  r('小山', 'コヤマ'),
  r('平野', 'ヒラノ'),
  r('藤本', 'フジモト'),
  r('河野', 'コウノ'),
  r('上野', 'ウエノ'),
  r('野口', 'ノグチ'),
  r('武田', 'タケダ'),
  r('松井', 'マツイ'),
  r('千葉', 'チバ'),
  r('岩崎', 'イワサキ'),
  r('菅原', 'スガワラ'),
  r('木下', 'キノシタ'),
  r('久保', 'クボ'),
  r('佐野', 'サノ'),
  r('野村', 'ノムラ'),
  r('松尾', 'マツオ'),
  r('市川', 'イチカワ'),
  r('菊地', 'キクチ'),
  r('東', 'ヒガシ'),
  r('北村', 'キタムラ'),
  r('永田', 'ナガタ'),
  r('川崎', 'カワサキ'),
  r('黒木', 'クロギ'),
];

/** Regional surnames, chosen more often in their municipality (都城: 南九州, 加賀: 北陸). */
export const REGIONAL_SURNAMES: Readonly<Record<string, readonly Reading[]>> = {
  '452025': [
    r('川畑', 'カワバタ'),
    r('有村', 'アリムラ'),
    r('持永', 'モチナガ'),
    r('蔵元', 'クラモト'),
    r('鶴田', 'ツルタ'),
    r('中別府', 'ナカベップ'),
    r('坂元', 'サカモト'),
    r('新地', 'シンチ'),
    r('西田', 'ニシダ'),
    r('吉留', 'ヨシドメ'),
  ],
  '172065': [
    r('山岸', 'ヤマギシ'),
    r('表', 'オモテ'),
    r('道下', 'ミチシタ'),
    r('二木', 'フタツギ'),
    r('浅田', 'アサダ'),
    r('北出', 'キタデ'),
    r('東出', 'ヒガシデ'),
    r('米谷', 'コメタニ'),
    r('宮下', 'ミヤシタ'),
    r('中西', 'ナカニシ'),
  ],
};

/**
 * Surnames whose registered form is a variant: an ideographic variation sequence (base +
 * VS17, U+E0100) or a character outside JIS X 0208/0213 that only the MJ 明朝 font draws (𠮷).
 */
export const VARIANT_SURNAMES: readonly Reading[] = [
  r('\u845B\u{E0100}城', 'カツラギ'), // 葛󠄀 (IVS)
  r('\u8FBB\u{E0100}本', 'ツジモト'), // 辻󠄀 (IVS)
  r('\u{20BB7}田', 'ヨシダ'), // 𠮷 (MJ only)
  r('\u{20BB7}野', 'ヨシノ'), // 𠮷 (MJ only)
  r('髙木', 'タカギ'),
  r('濵田', 'ハマダ'),
  r('渡邊', 'ワタナベ'),
  r('齋藤', 'サイトウ'),
  r('山﨑', 'ヤマザキ'),
  r('\u9089\u{E0100}見', 'ヘンミ'), // 邉󠄀 (IVS)
];

export const MALE_GIVEN_NAMES: readonly Reading[] = [
  r('太郎', 'タロウ'),
  r('一郎', 'イチロウ'),
  r('健一', 'ケンイチ'),
  r('誠', 'マコト'),
  r('浩', 'ヒロシ'),
  r('修', 'オサム'),
  r('隆', 'タカシ'),
  r('茂', 'シゲル'),
  r('博', 'ヒロシ'),
  r('清', 'キヨシ'),
  r('大輔', 'ダイスケ'),
  r('拓也', 'タクヤ'),
  r('翔太', 'ショウタ'),
  r('健太', 'ケンタ'),
  r('直樹', 'ナオキ'),
  r('和也', 'カズヤ'),
  r('達也', 'タツヤ'),
  r('聡', 'サトシ'),
  r('剛', 'ツヨシ'),
  r('学', 'マナブ'),
  r('蓮', 'レン'),
  r('湊', 'ミナト'),
  r('陽翔', 'ハルト'),
  r('悠真', 'ユウマ'),
  r('大翔', 'ヒロト'),
  r('悠人', 'ユウト'),
  r('陸', 'リク'),
  r('樹', 'イツキ'),
  r('颯太', 'ソウタ'),
  r('蒼', 'アオイ'),
  r('正', 'タダシ'),
  r('勇', 'イサム'),
  r('武', 'タケシ'),
  r('実', 'ミノル'),
  r('昭', 'アキラ'),
  r('秀樹', 'ヒデキ'),
  r('雅人', 'マサト'),
  r('康弘', 'ヤスヒロ'),
  r('俊介', 'シュンスケ'),
  r('亮', 'リョウ'),
];

export const FEMALE_GIVEN_NAMES: readonly Reading[] = [
  r('花子', 'ハナコ'),
  r('恵子', 'ケイコ'),
  r('幸子', 'サチコ'),
  r('洋子', 'ヨウコ'),
  r('和子', 'カズコ'),
  r('裕子', 'ユウコ'),
  r('真由美', 'マユミ'),
  r('智子', 'トモコ'),
  r('久美子', 'クミコ'),
  r('直美', 'ナオミ'),
  r('美咲', 'ミサキ'),
  r('愛', 'アイ'),
  r('彩', 'アヤ'),
  r('舞', 'マイ'),
  r('麻衣', 'マイ'),
  r('陽菜', 'ヒナ'),
  r('結衣', 'ユイ'),
  r('さくら', 'サクラ'),
  r('葵', 'アオイ'),
  r('凛', 'リン'),
  r('芽依', 'メイ'),
  r('結菜', 'ユイナ'),
  r('紬', 'ツムギ'),
  r('陽葵', 'ヒマリ'),
  r('莉子', 'リコ'),
  r('キヨ', 'キヨ'),
  r('ハル', 'ハル'),
  r('トメ', 'トメ'),
  r('静江', 'シズエ'),
  r('文子', 'フミコ'),
  r('節子', 'セツコ'),
  r('良子', 'ヨシコ'),
  r('由美子', 'ユミコ'),
  r('明美', 'アケミ'),
  r('千尋', 'チヒロ'),
  r('優子', 'ユウコ'),
  r('香織', 'カオリ'),
  r('美穂', 'ミホ'),
  r('沙織', 'サオリ'),
  r('瞳', 'ヒトミ'),
];

/** Given names with a variant form, for the hard cases. */
export const VARIANT_GIVEN_NAMES: readonly Reading[] = [
  r('𠮷雄', 'ヨシオ'),
  r('髙志', 'タカシ'),
  r('﨑子', 'サキコ'),
];

export interface ForeignName {
  nationality: string;
  /** As registered (Roman letters in katakana order of the residence card, or kanji). */
  surname: Reading;
  given: Reading;
  sex: '男' | '女';
  /** 通称 registered by some. */
  tsusho?: string;
}

export const FOREIGN_NAMES: readonly ForeignName[] = [
  { nationality: 'ベトナム', surname: r('グエン', 'グエン'), given: r('ティ ラン', 'ティ ラン'), sex: '女' },
  {
    nationality: 'ベトナム',
    surname: r('チャン', 'チャン'),
    given: r('ヴァン ミン', 'ヴァン ミン'),
    sex: '男',
    tsusho: '田中 明',
  },
  { nationality: '中国', surname: r('王', 'ワン'), given: r('偉', 'ウェイ'), sex: '男', tsusho: '王 偉' },
  {
    nationality: '中国',
    surname: r('李', 'リ'),
    given: r('秀英', 'シュウイン'),
    sex: '女',
    tsusho: '木下 秀子',
  },
  {
    nationality: '韓国',
    surname: r('金', 'キム'),
    given: r('民俊', 'ミンジュン'),
    sex: '男',
    tsusho: '金田 俊',
  },
  { nationality: 'フィリピン', surname: r('サントス', 'サントス'), given: r('マリア', 'マリア'), sex: '女' },
  {
    nationality: 'ブラジル',
    surname: r('シルバ', 'シルバ'),
    given: r('ペドロ', 'ペドロ'),
    sex: '男',
    tsusho: '志留波 ペドロ',
  },
  { nationality: 'ネパール', surname: r('シュレスタ', 'シュレスタ'), given: r('ラム', 'ラム'), sex: '男' },
  {
    nationality: 'インドネシア',
    surname: r('スサント', 'スサント'),
    given: r('デウィ', 'デウィ'),
    sex: '女',
  },
];

/** Real town names, by municipality, with the address style each uses. */
export interface TownList {
  prefix: string;
  style: 'chome' | 'banchi' | 'gaiku';
  towns: readonly string[];
}

export const TOWNS: Readonly<Record<string, TownList>> = {
  '131016': {
    prefix: '東京都千代田区',
    style: 'chome',
    towns: [
      '九段南',
      '九段北',
      '神田小川町',
      '飯田橋',
      '麹町',
      '富士見',
      '神田神保町',
      '内神田',
      '外神田',
      '岩本町',
      '神田須田町',
      '神田駿河台',
      '平河町',
      '三崎町',
      '西神田',
      '猿楽町',
    ],
  },
  '172065': {
    prefix: '石川県加賀市',
    style: 'banchi',
    towns: [
      '大聖寺南町',
      '大聖寺錦町',
      '大聖寺東町',
      '山代温泉',
      '山中温泉本町',
      '片山津温泉',
      '作見町',
      '動橋町',
      '橋立町',
      '黒瀬町',
      '熊坂町',
      '加茂町',
      '小菅波町',
      '永井町',
      '弓波町',
    ],
  },
  '452025': {
    prefix: '宮崎県都城市',
    style: 'gaiku',
    towns: [
      '姫城町',
      '上町',
      '中町',
      '蔵原町',
      '早鈴町',
      '年見町',
      '宮丸町',
      '都島町',
      '妻ケ丘町',
      '松元町',
      '高城町穂満坊',
      '山之口町花木',
      '高崎町大牟田',
      '庄内町',
      '志比田町',
    ],
  },
};

export const BUILDINGS: readonly string[] = [
  'コーポ',
  'ハイツ',
  'メゾン',
  'グランドパレス',
  'レジデンス',
  'サンハイム',
  'パークハウス',
  'ロイヤルマンション',
];

/** Very long building names (up to the register's limits): 住所 lines that must wrap. */
export const LONG_BUILDINGS: readonly string[] = [
  'グランドメゾン・ザ・レジデンス・プレミアムタワー・イーストウイング・アネックス東棟',
  'ライオンズマンション・シティ・プレミアム・フォレストガーデン・ステーションフロント第三期',
  'サーパス・グランフォート・ザ・パークフロント・レジデンシャルコート・セントラル西館',
];

/** Places outside the three municipalities: previous addresses and 本籍地 elsewhere. Codes: 5 digits (check digit added by the generator). */
export const ELSEWHERE: readonly { code5: string; address: string }[] = [
  { code5: '01101', address: '北海道札幌市中央区北一条西二丁目1番地' },
  { code5: '04101', address: '宮城県仙台市青葉区国分町三丁目7番1号' },
  { code5: '14104', address: '神奈川県横浜市中区山下町11番地' },
  { code5: '27127', address: '大阪府大阪市北区梅田一丁目1番3号' },
  { code5: '40132', address: '福岡県福岡市博多区博多駅前二丁目9番28号' },
  { code5: '47201', address: '沖縄県那覇市久茂地一丁目1番1号' },
  { code5: '26100', address: '京都府京都市上京区今出川通烏丸東入玄武町601番地' },
];
