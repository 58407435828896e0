/** A calm busy indicator; still for residents who ask for reduced motion. */
export function Spinner() {
  return <div className="spinner" aria-hidden="true" />;
}
