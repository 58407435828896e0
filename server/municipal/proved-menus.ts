/**
 * The printability answers of residents' menus, kept with what they were proved at: the Japan
 * date printed on the documents and the register version (CentreRepository.registerVersion, moved
 * on by every change to a table certificates are built from). A menu's documents are a function of
 * the resident's registers, the municipalities' rules and the printed date, so a sign-in on the
 * same date at the same version would build exactly the documents proved: it takes the answers
 * and builds nothing. Any change anywhere in the registers moves the version, and every sign-in
 * after it builds and fits its documents again (the answers are then remembered at the new
 * version): an answer can be missing, never stale.
 *
 * The answers are per item and 住民票 scope (`answerKey`), not whole menus: whether an item is
 * offered at all (service hours, the rules, the resident's age) is decided again at each sign-in
 * by buildMenu; only "does this offered document fit its form" is taken from here. Nothing of the
 * resident is kept but their holder id and yes/no answers. Bounded: the oldest residents go first.
 */
export type PrintAnswers = ReadonlyMap<string, boolean | undefined>;

/** When a menu's answers were proved: the printed Japan date and the register version. */
export interface ProofPoint {
  day: string;
  registerVersion: number;
}

export interface ProvedMenus {
  /** The answers proved for `holderId` at exactly this point, if any. */
  answersAt(holderId: string, at: ProofPoint): PrintAnswers | undefined;
  /** Keeps the answers built for `holderId` at `at` (replacing older ones). */
  remember(holderId: string, at: ProofPoint, answers: PrintAnswers): void;
  readonly size: number;
}

/** The key of one answer: the certificate type and, for the 住民票, the scope checked. */
export function answerKey(certificateType: string, scope?: string): string {
  return scope === undefined ? certificateType : `${certificateType}/${scope}`;
}

interface Proved extends ProofPoint {
  answers: PrintAnswers;
}

export function createProvedMenus(maxResidents: number): ProvedMenus {
  const proved = new Map<string, Proved>();
  return {
    answersAt(holderId, at) {
      const known = proved.get(holderId);
      if (!known || known.day !== at.day || known.registerVersion !== at.registerVersion) return undefined;
      return known.answers;
    },
    remember(holderId, at, answers) {
      proved.delete(holderId);
      if (proved.size >= maxResidents) proved.delete(proved.keys().next().value as string);
      proved.set(holderId, { day: at.day, registerVersion: at.registerVersion, answers });
    },
    get size() {
      return proved.size;
    },
  };
}
