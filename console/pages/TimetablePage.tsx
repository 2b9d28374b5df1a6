import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConsoleClassSession, ConsoleProposedSession } from '../../sync/protocol/console-api';
import { api } from '../api';
import { Field, formatDateTime, Notice, Problem, SitePicker, TableBox, today, useConsole, useLoad } from '../shared';

/** Guangdong time, as the site's staff read the clock: UTC+8 all year. */
function platformTime(day: string, time: string): string {
  return new Date(`${day}T${time}:00+08:00`).toISOString();
}

export function TimetablePage() {
  const { t, i18n } = useTranslation();
  const { sites } = useConsole();
  const [siteId, setSiteId] = useState('');
  const site = siteId || sites[0]?.id || '';
  const { data, error, reload } = useLoad(
    () => (site ? api<ConsoleClassSession[]>('GET', `/sites/${encodeURIComponent(site)}/class-sessions?from=${today()}&to=${today(7 * 60)}`) : Promise.resolve([])),
    [site],
  );
  const proposals = useLoad(
    () => (site ? api<ConsoleProposedSession[]>('GET', `/sites/${encodeURIComponent(site)}/proposed-sessions`) : Promise.resolve([])),
    [site],
  );
  const [form, setForm] = useState({ title: '', teacher: '', room: '', day: today(1), starts: '14:00', ends: '16:00', weeks: '1' });
  const [outcome, setOutcome] = useState<{ error: unknown; done: string }>({ error: null, done: '' });
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const created = await api<{ ids: string[] }>('POST', '/class-sessions', {
        siteId: site,
        title: form.title.trim(),
        teacher: form.teacher.trim(),
        room: form.room.trim(),
        startsAt: platformTime(form.day, form.starts),
        endsAt: platformTime(form.day, form.ends),
        weeks: Number(form.weeks),
      });
      setOutcome({ error: null, done: t('timetable.created', { count: created.ids.length }) });
      reload();
    } catch (caught) {
      setOutcome({ error: caught, done: '' });
    }
  };

  const decide = async (proposal: ConsoleProposedSession, decision: 'approve' | 'refuse') => {
    try {
      const answer = await api<{ released?: number; refused?: number }>('POST', `/proposed-sessions/${proposal.id}/decide`, { decision });
      setOutcome({
        error: null,
        done: decision === 'approve' ? t('timetable.proposalApproved', { count: answer.released ?? 0 }) : t('timetable.proposalRefused', { count: answer.refused ?? 0 }),
      });
    } catch (caught) {
      setOutcome({ error: caught, done: '' });
    }
    proposals.reload();
    reload();
  };

  return (
    <>
      <h1>{t('timetable.title')}</h1>
      <SitePicker value={site} onChange={setSiteId} />
      <section className="card" aria-labelledby="proposed-title">
        <h2 id="proposed-title">{t('timetable.proposedTitle')}</h2>
        <p>{t('timetable.proposedIntro')}</p>
        <Problem error={proposals.error} />
        {proposals.data && proposals.data.length === 0 ? <p>{t('timetable.proposedNone')}</p> : null}
        {proposals.data && proposals.data.length > 0 ? (
          <TableBox label={t('timetable.proposedTitle')}>
            <thead>
              <tr>
                <th scope="col">{t('timetable.when')}</th>
                <th scope="col">{t('timetable.sessionTitle')}</th>
                <th scope="col">{t('timetable.proposedBy')}</th>
                <th scope="col">{t('timetable.heldCheckIns')}</th>
                <th scope="col">{t('timetable.decision')}</th>
              </tr>
            </thead>
            <tbody>
              {proposals.data.map((proposal) => (
                <tr key={proposal.id}>
                  <td>{formatDateTime(proposal.startsAt, i18n.language)}</td>
                  <th scope="row">{proposal.title}</th>
                  <td>{proposal.proposedBy}</td>
                  <td>{proposal.heldCheckIns}</td>
                  <td>
                    <button type="button" onClick={() => void decide(proposal, 'approve')} aria-label={t('timetable.approveNamed', { title: proposal.title })}>
                      {t('timetable.approve')}
                    </button>{' '}
                    <button type="button" onClick={() => void decide(proposal, 'refuse')} aria-label={t('timetable.refuseNamed', { title: proposal.title })}>
                      {t('timetable.refuse')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </TableBox>
        ) : null}
      </section>
      <form className="card" onSubmit={(e) => void submit(e)}>
        <h2>{t('timetable.add')}</h2>
        <div className="grid">
          <Field label={t('timetable.sessionTitle')}>{(id) => <input id={id} required maxLength={200} value={form.title} onChange={set('title')} />}</Field>
          <Field label={t('timetable.teacher')}>{(id) => <input id={id} maxLength={100} value={form.teacher} onChange={set('teacher')} />}</Field>
          <Field label={t('timetable.room')} hint={t('timetable.roomHint')}>
            {(id) => <input id={id} maxLength={60} value={form.room} onChange={set('room')} />}
          </Field>
          <Field label={t('timetable.day')}>{(id) => <input id={id} type="date" required value={form.day} onChange={set('day')} />}</Field>
          <Field label={t('timetable.starts')}>{(id) => <input id={id} type="time" required value={form.starts} onChange={set('starts')} />}</Field>
          <Field label={t('timetable.ends')}>{(id) => <input id={id} type="time" required value={form.ends} onChange={set('ends')} />}</Field>
          <Field label={t('timetable.repeat')}>
            {(id) => (
              <select id={id} value={form.weeks} onChange={set('weeks')}>
                <option value="1">{t('timetable.once')}</option>
                {[4, 8, 12, 16, 20].map((weeks) => (
                  <option key={weeks} value={String(weeks)}>
                    {t('timetable.weekly', { count: weeks })}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Problem error={outcome.error} />
        {outcome.done ? <Notice>{outcome.done}</Notice> : null}
        <button type="submit">{t('timetable.create')}</button>
      </form>
      <h2>{t('timetable.upcoming')}</h2>
      <Problem error={error} />
      {data && data.length === 0 ? <p>{t('timetable.none')}</p> : null}
      {data && data.length > 0 ? (
        <TableBox label={t('timetable.upcoming')}>
          <thead>
            <tr>
              <th scope="col">{t('timetable.when')}</th>
              <th scope="col">{t('timetable.sessionTitle')}</th>
              <th scope="col">{t('timetable.room')}</th>
              <th scope="col">{t('timetable.status')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((session) => (
              <tr key={session.id}>
                <td>{formatDateTime(session.startsAt, i18n.language)}</td>
                <th scope="row">
                  {session.title}
                  {session.seriesId ? <small> · {t('timetable.inSeries')}</small> : null}
                </th>
                <td>{session.room || '—'}</td>
                <td>{t(`timetable.statuses.${session.status}`, { defaultValue: session.status })}</td>
              </tr>
            ))}
          </tbody>
        </TableBox>
      ) : null}
    </>
  );
}
