import type { MarketData } from '../market/market-data';

/** What a stored market filled in rather than served as recorded or given (RecordedMarket / CsvMarket counters). */
export function modelledCounts(m: MarketData | null): Record<string, number> | null {
  if (!m || !('modelled' in m)) return null;
  const v = (m as { modelled: unknown }).modelled;
  if (typeof v === 'number') return { quote: v };
  return typeof v === 'object' && v !== null ? { ...(v as Record<string, number>) } : null;
}

/** The report's market lines: which source was played, how much of it was modelled, where it was recorded. */
export function marketLine(spec: string, source: MarketData | null, record: string | undefined): { lines: string[]; json: Record<string, unknown> } {
  const modelled = modelledCounts(source);
  const total = modelled ? Object.values(modelled).reduce((a, b) => a + b, 0) : 0;
  const lines: string[] = [];
  if (spec !== 'sim') lines.push(`market ${spec}: ${total === 0 ? 'every answer as stored' : `${total} answer(s) modelled from the stored IV surface or the last stored value (${Object.entries(modelled ?? {}).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')})`}`);
  if (record) lines.push(`recorded the market into ${record}; replay it with --market recorded:${record}`);
  return { lines, json: { market: spec, ...(modelled ? { market_modelled: modelled } : {}), ...(record ? { recording: record } : {}) } };
}
