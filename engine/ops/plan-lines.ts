import type { EntryPlan } from '../workflows/execute-strategies';
import type { MonitorResult } from '../workflows/unified-monitor';

/** Human lines for a workflow's plan (execute_strategies and unified_monitor); other tasks print their summary only. */
export function planLines(data: unknown): string[] {
  const d = data as { plans?: EntryPlan[]; positions?: MonitorResult[] } | undefined;
  const out: string[] = [];
  for (const p of d?.plans ?? []) {
    const head = `${p.symbol.padEnd(5)} ${p.strategy.padEnd(12)} ${p.expiry} score ${p.score.toFixed(1).padStart(5)}  ${p.decision.action.toUpperCase()}`;
    out.push(`${head}  ${p.decision.reason}`);
    if (p.intent) {
      const legs = p.intent.legs.map((l) => `${l.action === 'SELL' ? '-' : '+'}${l.strike}${l.right}`).join(' ');
      out.push(`      order: BUY ${p.intent.quantity} combo [${legs}] ${p.intent.urgency}; ${p.risk?.allowed ? (p.sent ? 'sent' : 'would be sent') : `refused by risk: ${p.risk?.reasons.join('; ') ?? ''}`}`);
    }
  }
  for (const p of d?.positions ?? []) {
    out.push(`${p.position_id} ${p.symbol} ${p.strategy}: ${p.decision.action.toUpperCase()}${p.decision.rule ? ` by ${p.decision.rule}` : ''} (${p.decision.reason}); unrealized ${p.unrealized_pnl === null ? '?' : p.unrealized_pnl.toFixed(2)}${p.intent ? `; order ${p.intent.kind} ${p.intent.quantity} (${p.intent.urgency})${p.sent ? ' sent' : ''}` : ''}${p.note ? `; ${p.note}` : ''}`);
  }
  return out;
}
