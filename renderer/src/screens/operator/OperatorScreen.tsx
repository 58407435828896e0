import type { OperatorSelfTest, OutOfServiceNotice } from '../../../../electron/kiosk-api.ts';
import { useKioskActions } from '../../kioskContext.tsx';
import type { ScreenView } from '../../kioskContext.tsx';
import { fill, OPERATOR_MESSAGES } from './operator-messages.ts';

const SELF_TESTS: readonly OperatorSelfTest[] = ['printer', 'reader', 'payment'];
const NOTICES: readonly OutOfServiceNotice[] = ['maintenance', 'supplies', 'closed'];

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/**
 * Operator mode: the kiosk's status, today's counts, what recovery did at start, self-tests, log
 * export and the switch. No resident data.
 */
export function OperatorScreen({ view }: { view: ScreenView<'operator'> }) {
  const { send } = useKioskActions();
  const m = OPERATOR_MESSAGES[view.language];
  const status = view.status;
  const counts = view.counts;
  const locale = view.language === 'ja' ? 'ja-JP' : 'en-GB';
  const time = (iso: string) => new Date(iso).toLocaleString(locale);

  return (
    <div className="kiosk operator" data-testid="screen-operator" lang={view.language}>
      <header className="kiosk-header">
        <h1>{m.heading}</h1>
        <button
          type="button"
          className="button"
          aria-label={m.languageLabel}
          onClick={() =>
            void send({ type: 'operator-set-language', language: view.language === 'ja' ? 'en' : 'ja' })
          }
        >
          {m.language}
        </button>
        <button type="button" className="button" onClick={() => void send({ type: 'operator-refresh' })}>
          {m.refresh}
        </button>
      </header>
      <main className="kiosk-body operator-body">
        <section aria-labelledby="operator-status">
          <h2 id="operator-status">{m.statusSection}</h2>
          {status === null ? (
            <p role="status">{m.collecting}</p>
          ) : (
            <>
              <p data-testid="operator-overall" data-overall={status.overall}>
                {m.overall}: <strong>{m.overallValue[status.overall]}</strong>
              </p>
              <h3>{m.problems}</h3>
              {status.problems.length === 0 ? (
                <p>{m.noProblems}</p>
              ) : (
                <ul aria-label={m.problems} data-testid="operator-problems">
                  {status.problems.map((p) => (
                    <li key={p.code}>{p.code}</li>
                  ))}
                </ul>
              )}
              <dl className="operator-status">
                <dt>{m.readers}</dt>
                {status.readers.map((r, i) => (
                  <dd key={i}>
                    {r.name} — {r.state}, {r.cardPresent ? m.cardPresent : m.noCard}
                    {r.lastError ? ` (${r.lastError})` : ''}
                  </dd>
                ))}
                <dt>{m.printer}</dt>
                <dd data-testid="operator-printer">
                  {status.printer.state}
                  {status.printer.reasons.length > 0 ? ` (${status.printer.reasons.join(', ')})` : ''}
                  {status.printer.queuedJobs !== null
                    ? `, ${fill(m.queue, { n: status.printer.queuedJobs })}`
                    : ''}
                  {status.printer.supplies.map((s) => `, ${s.name} ${s.levelPercent ?? '?'}%`).join('')}
                </dd>
                <dt>{m.payment}</dt>
                <dd data-testid="operator-payment">
                  {status.payment.state}
                  {status.payment.coinBoxFull ? `, ${m.coinBoxFull}` : ''}, {m.changeLevels}:{' '}
                  {Object.entries(status.payment.changeLevels)
                    .map(([coin, n]) => `${coin}×${n}`)
                    .join(' ')}
                </dd>
                <dt>{m.centre}</dt>
                <dd data-testid="operator-centre">
                  {status.centre.reachable ? m.reachable : m.unreachable}
                  {status.centre.latencyMs !== null
                    ? `, ${fill(m.latency, { n: status.centre.latencyMs })}`
                    : ''}
                  {status.centre.clockSkewMs !== null
                    ? `, ${fill(m.skew, { n: Math.round(status.centre.clockSkewMs / 1000) })}`
                    : ''}
                </dd>
                <dt>{m.certificate}</dt>
                <dd>
                  {status.centre.terminalCertificateNotAfter
                    ? time(status.centre.terminalCertificateNotAfter)
                    : '-'}
                </dd>
                <dt>{m.disk}</dt>
                <dd>
                  {status.disk ? `${gib(status.disk.freeBytes)} / ${gib(status.disk.totalBytes)}` : '-'}
                </dd>
                <dt>{m.versions}</dt>
                <dd>
                  {Object.entries(status.versions)
                    .filter(([, v]) => v !== null)
                    .map(([part, v]) => `${part} ${v}`)
                    .join(', ')}
                </dd>
              </dl>
            </>
          )}
        </section>
        <section aria-labelledby="operator-counts">
          <h2 id="operator-counts">{m.countsSection}</h2>
          {counts && (
            <dl data-testid="operator-counts">
              <dt>{m.delivered}</dt>
              {counts.delivered.length === 0 ? (
                <dd>{m.noDeliveries}</dd>
              ) : (
                counts.delivered.map((d) => (
                  <dd key={d.certificateType}>
                    {d.certificateType}: {fill(m.copies, { n: d.copies })}
                  </dd>
                ))
              )}
              <dt>{m.refundsDue}</dt>
              <dd>{fill(m.refundLine, { n: counts.refundsDue.count, y: counts.refundsDue.yen })}</dd>
              <dt>{m.refundsDone}</dt>
              <dd>{fill(m.refundLine, { n: counts.refundsDone.count, y: counts.refundsDone.yen })}</dd>
              <dt>{m.cardsLeft}</dt>
              <dd>{counts.cardsLeftBehind}</dd>
              <dt>{m.documentsLeft}</dt>
              <dd>{counts.documentsUncollected}</dd>
            </dl>
          )}
        </section>
        <section aria-labelledby="operator-recovery">
          <h2 id="operator-recovery">{m.recoverySection}</h2>
          {view.recovered.length === 0 ? (
            <p data-testid="operator-recovery-none">{m.noRecovery}</p>
          ) : (
            <table data-testid="operator-recovery">
              <thead>
                <tr>
                  <th scope="col">{m.receiptNumber}</th>
                  <th scope="col">{m.startedAt}</th>
                  <th scope="col">{m.recoveryAction}</th>
                </tr>
              </thead>
              <tbody>
                {view.recovered.map((row) => (
                  <tr key={row.receiptNumber} data-action={row.action}>
                    <td>{row.receiptNumber}</td>
                    <td>{time(row.startedAt)}</td>
                    <td>{fill(m.recovered[row.action], { y: row.yen ?? 0 })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section aria-labelledby="operator-self-tests">
          <h2 id="operator-self-tests">{m.selfTestsSection}</h2>
          <p className="hint">{m.readerHint}</p>
          {SELF_TESTS.map((test) => {
            const result = view.selfTests.find((s) => s.test === test);
            return (
              <div key={test} className="operator-self-test">
                <button
                  type="button"
                  className="button"
                  disabled={result?.state === 'running'}
                  onClick={() => void send({ type: 'operator-self-test', test })}
                >
                  {m.selfTest[test]}
                </button>
                {result && (
                  <span role="status" data-testid={`self-test-${test}`} data-state={result.state}>
                    {m.selfTest[test]}: {m.selfTestState[result.state]}
                    {result.detail ? ` (${result.detail})` : ''}
                  </span>
                )}
              </div>
            );
          })}
        </section>
        <section aria-labelledby="operator-log">
          <h2 id="operator-log">{m.logSection}</h2>
          <button type="button" className="button" onClick={() => void send({ type: 'operator-export-log' })}>
            {m.exportLog}
          </button>
          {view.logExport && (
            <p role="status" data-testid="operator-log-export">
              {'failed' in view.logExport
                ? m.exportFailed
                : fill(m.exported, { n: view.logExport.lines, f: view.logExport.file })}
            </p>
          )}
        </section>
        <section aria-labelledby="operator-service">
          <h2 id="operator-service">{m.serviceSection}</h2>
          <p data-testid="operator-service-state">
            {view.outOfService
              ? fill(m.outOfServiceSince, {
                  t: time(view.outOfService.since),
                  m: m.notice[view.outOfService.notice],
                })
              : m.inService}
          </p>
          {NOTICES.map((notice) => (
            <button
              key={notice}
              type="button"
              className="button"
              disabled={view.outOfService?.notice === notice}
              onClick={() => void send({ type: 'operator-set-out-of-service', notice })}
            >
              {fill(m.setOutOfService, { m: m.notice[notice] })}
            </button>
          ))}
          <button
            type="button"
            className="button"
            disabled={view.outOfService === null}
            onClick={() => void send({ type: 'operator-set-out-of-service', notice: null })}
          >
            {m.backInService}
          </button>
        </section>
      </main>
      <footer className="kiosk-footer">
        <button
          type="button"
          className="button button--primary"
          onClick={() => void send({ type: 'operator-exit' })}
        >
          {m.exit}
        </button>
      </footer>
    </div>
  );
}
