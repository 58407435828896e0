/** Simple line drawings for the kiosk screens (drawn for this project; decorative, hidden from screen readers). */

export function CardIllustration({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 172 108" aria-hidden="true" focusable="false">
      <rect
        x="2"
        y="2"
        width="168"
        height="104"
        rx="10"
        fill="#ffffff"
        stroke="currentColor"
        strokeWidth="4"
      />
      <rect x="16" y="22" width="30" height="24" rx="4" fill="#e2c06a" stroke="#9b7d2c" strokeWidth="2" />
      <rect
        x="118"
        y="18"
        width="38"
        height="48"
        rx="4"
        fill="#dbe6f2"
        stroke="currentColor"
        strokeWidth="2"
      />
      <circle cx="137" cy="36" r="8" fill="#8aa4c2" />
      <path d="M124 60 q13 -16 26 0" fill="#8aa4c2" />
      <rect x="16" y="60" width="86" height="6" rx="3" fill="#c3ccd6" />
      <rect x="16" y="74" width="70" height="6" rx="3" fill="#c3ccd6" />
      <rect x="16" y="88" width="92" height="6" rx="3" fill="#c3ccd6" />
    </svg>
  );
}

export function CertificateIllustration({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 96 124" aria-hidden="true" focusable="false">
      <path
        d="M4 4 h64 l24 24 v92 h-88 z"
        fill="#ffffff"
        stroke="currentColor"
        strokeWidth="4"
        strokeLinejoin="round"
      />
      <path d="M68 4 v24 h24" fill="none" stroke="currentColor" strokeWidth="4" strokeLinejoin="round" />
      <rect x="16" y="40" width="60" height="6" rx="3" fill="#c3ccd6" />
      <rect x="16" y="54" width="52" height="6" rx="3" fill="#c3ccd6" />
      <rect x="16" y="68" width="60" height="6" rx="3" fill="#c3ccd6" />
      <rect x="16" y="82" width="40" height="6" rx="3" fill="#c3ccd6" />
      <circle cx="66" cy="102" r="10" fill="none" stroke="#c0392b" strokeWidth="3" />
    </svg>
  );
}

export function CoinIllustration({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <circle cx="32" cy="32" r="28" fill="#f3e3b0" stroke="#9b7d2c" strokeWidth="4" />
      <circle cx="32" cy="32" r="18" fill="none" stroke="#9b7d2c" strokeWidth="2" />
    </svg>
  );
}

/** The card reader with a card gliding onto it (the motion lives in CSS, class `place-card-card`). */
export function PlaceCardIllustration({ readerLabel }: { readerLabel: string }) {
  return (
    <div className="place-card-scene" aria-hidden="true">
      <CardIllustration className="place-card-card" />
      <div className="place-card-reader">
        <span className="place-card-reader-light" />
        <span className="place-card-reader-label">{readerLabel}</span>
      </div>
    </div>
  );
}
