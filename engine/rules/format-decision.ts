import type { EntryDecision } from './entry-decision';
import type { PositionDecision } from './position-decision';
import type { TraceEntry } from './run-rules';

const show = (facts: TraceEntry['facts']): string =>
  Object.entries(facts)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');

/** The trace for a human: rules above the winner did not fire, the winner with its facts, the rest. */
function traceLines(d: PositionDecision): string[] {
  const lines: string[] = [];
  for (const t of d.trace) {
    let mark: string;
    if (d.priority === null || t.priority < d.priority) mark = t.fired ? 'fired' : 'no   ';
    else if (t.priority === d.priority) mark = 'WON  ';
    else mark = t.fired ? 'also ' : 'no   ';
    lines.push(`  ${mark} ${String(t.priority).padStart(2)} ${t.rule.padEnd(22)} ${show(t.facts)}`);
  }
  return lines;
}

export function formatPositionDecision(d: PositionDecision): string {
  const head =
    d.rule === null
      ? `decision: ${d.action} (${d.urgency}): ${d.reason}`
      : `decision: ${d.action} (${d.urgency}) by rule ${d.priority} ${d.rule}: ${d.reason}`;
  const lines = [head];
  if (Object.keys(d.params).length > 0) lines.push(`params: ${JSON.stringify(d.params)}`);
  if (d.flagged) lines.push('position flagged: fix the missing data before trusting any decision');
  lines.push(`config: ${d.config_hash}`);
  if (d.trace.length > 0) lines.push('trace (priority order; "also" = matched but outranked):', ...traceLines(d));
  return lines.join('\n');
}

export function formatEntryDecision(d: EntryDecision): string {
  const lines = [`entry: ${d.action}: ${d.reason}`, `config: ${d.config_hash}`];
  if (d.gates.length > 0) {
    lines.push('gates:');
    for (const g of d.gates) lines.push(`  ${g.passed ? 'pass' : 'FAIL'} ${g.gate.padEnd(26)} ${show(g.facts)}${g.passed ? '' : `  (${g.reason})`}`);
  }
  if (d.exit) lines.push('exit rules on the would-be position:', ...formatPositionDecision(d.exit).split('\n').map((l) => `  ${l}`));
  return lines.join('\n');
}
