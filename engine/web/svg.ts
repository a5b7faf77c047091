import { esc } from './html';

export interface Point {
  readonly x: number;
  readonly y: number;
}

const scale = (points: readonly Point[], w: number, h: number, pad: number): { xy: (p: Point) => [number, number]; y0: number | null } => {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const sx = (x: number): number => (x1 === x0 ? w / 2 : pad + ((x - x0) / (x1 - x0)) * (w - 2 * pad));
  const sy = (y: number): number => h - pad - ((y - y0) / (y1 - y0)) * (h - 2 * pad);
  return { xy: (p) => [sx(p.x), sy(p.y)], y0: y0 <= 0 && y1 >= 0 ? sy(0) : null };
};

const polyline = (points: readonly Point[], xy: (p: Point) => [number, number]): string => points.map((p) => xy(p).map((n) => n.toFixed(1)).join(',')).join(' ');

/** A small line of a series (a position's P&L since entry) with its zero line; inline SVG, no script. */
export function sparkline(points: readonly Point[], opts: { id?: string; w?: number; h?: number; title?: string } = {}): string {
  const w = opts.w ?? 180;
  const h = opts.h ?? 36;
  if (points.length < 2) return `<span class="muted">not enough points yet</span>`;
  const { xy, y0 } = scale(points, w, h, 3);
  const last = points[points.length - 1] as Point;
  const zero = y0 === null ? '' : `<line x1="0" x2="${w}" y1="${y0.toFixed(1)}" y2="${y0.toFixed(1)}" class="zero"/>`;
  return `<svg ${opts.id ? `id="${esc(opts.id)}" ` : ''}class="spark" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(opts.title ?? 'sparkline')}">${zero}<polyline points="${polyline(points, xy)}" class="${last.y < 0 ? 'neg' : 'pos'}"/></svg>`;
}

/** A line chart with labelled ends (the equity curve): x labels and y values given as text. */
export function lineChart(points: readonly Point[], labels: { readonly x: (x: number) => string; readonly y: (y: number) => string }, opts: { id: string; w?: number; h?: number; title: string }): string {
  const w = opts.w ?? 640;
  const h = opts.h ?? 180;
  if (points.length === 0) return `<p class="muted">no data yet</p>`;
  const { xy } = scale(points, w, h, 28);
  const ys = points.map((p) => p.y);
  const dots = points.map((p) => {
    const [x, y] = xy(p);
    return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3"><title>${esc(labels.x(p.x))}: ${esc(labels.y(p.y))}</title></circle>`;
  });
  const first = points[0] as Point;
  const last = points[points.length - 1] as Point;
  return `<svg id="${esc(opts.id)}" class="chart" width="100%" viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(opts.title)}">
<text x="4" y="14" class="axis">${esc(labels.y(Math.max(...ys)))}</text><text x="4" y="${h - 4}" class="axis">${esc(labels.y(Math.min(...ys)))}</text>
<text x="28" y="${h - 14}" class="axis">${esc(labels.x(first.x))}</text><text x="${w - 28}" y="${h - 14}" class="axis" text-anchor="end">${esc(labels.x(last.x))}</text>
${points.length > 1 ? `<polyline points="${polyline(points, xy)}" class="line"/>` : ''}${dots.join('')}</svg>`;
}
