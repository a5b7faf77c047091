import type { DayCandidates } from '../../ops/operations';
import { esc, factList, money, table, val, when } from '../html';

/** Candidates: the day's analysis per symbol — every template's score and its four components, the pick, and what the entry made of it. */
export function candidatesPage(day: DayCandidates, dates: { readonly date: string }): string {
  const form = `<form class="filters" method="get"><label>trading date<input type="date" name="date" value="${esc(dates.date)}"></label><button>Show</button></form>`;
  if (!day.analysis_id) return `<h1>Candidates</h1>${form}<p class="muted">no strategy analysis on ${esc(day.trading_date)}: strategy_analysis runs each trading morning</p>`;
  const parts = day.symbols.map((s) => {
    const comps = [...new Set(s.candidates.flatMap((c) => Object.keys(c.components)))];
    const rows = s.candidates.map((c) => [
      c.picked ? '<b>pick</b>' : '',
      esc(c.strategy),
      esc(c.expiry),
      String(c.dte),
      esc(c.legs),
      c.credit.toFixed(2),
      `<b>${c.score.toFixed(1)}</b>`,
      ...comps.map((k) => val(c.components[k], 1)),
      c.passes ? '' : '<span class="muted">below a floor</span>',
    ]);
    let entry = '<p class="muted">no entry decision for the pick (execute_strategies has not run, or the pick scored below min_score)</p>';
    if (s.entry) {
      const e = s.entry;
      const gates = table(
        ['gate', 'result', 'facts', 'refuses when'],
        e.gates.map((g) => [esc(g.gate), g.passed ? '<span class="pos">holds</span>' : '<span class="neg"><b>refused</b></span>', factList(g.facts), `<span class="muted">${esc(g.reason)}</span>`]),
        'class="gates"',
      );
      const outcome = e.action === 'enter' ? (e.intent ? `became order <a href="/orders#${esc(e.intent.id)}">${esc(e.intent.id)}</a> (${esc(e.intent.status)}${e.intent.detail ? `: ${esc(e.intent.detail)}` : ''})` : 'entered; no order intent found') : `refused by <b class="refused-by">${esc(e.refused_by.join(', ') || e.reason)}</b>`;
      entry = `<p>${when(e.at)} <b>${esc(e.action.toUpperCase())}</b>: ${outcome}</p><details id="gates-${esc(s.symbol)}"><summary>${e.gates.length} gates</summary>${gates}</details>`;
    }
    return `<section class="pos-card" data-symbol="${esc(s.symbol)}"><h3>${esc(s.symbol)} <span class="muted">spot ${money(s.spot)} · IV rank ${val(s.iv_rank, 1)} · ${s.rejections} template(s) rejected before scoring</span></h3>
${table(['', 'strategy', 'expiry', 'DTE', 'legs', 'credit', 'score', ...comps, ''], rows, 'class="candidates"')}<h3>Entry</h3>${entry}</section>`;
  });
  return `<h1>Candidates</h1>${form}<p class="muted">analysis ${esc(day.analysis_id)} as of ${when(day.as_of)}</p>${parts.join('')}`;
}
