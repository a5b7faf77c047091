import { CLIENT_SCRIPT } from './client-script';
import { esc } from './html';

export const PAGES = [
  { path: '/', title: 'Overview' },
  { path: '/positions', title: 'Positions' },
  { path: '/candidates', title: 'Candidates' },
  { path: '/decisions', title: 'Decisions' },
  { path: '/orders', title: 'Orders' },
  { path: '/backtests', title: 'Backtests' },
  { path: '/queues', title: 'Queues' },
] as const;

const CSS = `
:root{--bg:#0f1419;--panel:#171d24;--line:#2a323c;--text:#d9dee4;--muted:#7d8793;--pos:#3fb67a;--neg:#e5534b;--accent:#4c9aff;--warn:#d29922}
*{box-sizing:border-box}a{color:var(--accent)}body{margin:0;background:var(--bg);color:var(--text);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
header{display:flex;gap:18px;align-items:center;padding:10px 20px;border-bottom:1px solid var(--line);background:var(--panel);flex-wrap:wrap}
header .brand{font-weight:700;letter-spacing:.02em}header nav a{color:var(--muted);text-decoration:none;margin-right:14px}header nav a.on{color:var(--text);border-bottom:2px solid var(--accent)}
header .right{margin-left:auto;display:flex;gap:10px;align-items:center}header input{background:var(--bg);color:var(--text);border:1px solid var(--line);padding:3px 6px;width:190px}
main{padding:16px 20px;max-width:1500px}h1{font-size:20px;margin:4px 0 14px}h2{font-size:16px;margin:18px 0 8px}h3{font-size:14px;margin:10px 0 6px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:12px}.card{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}.card .v{font-size:18px;margin-top:2px}
table{border-collapse:collapse;width:100%;margin:4px 0 10px}th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}th{color:var(--muted);font-weight:600;font-size:12px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}.pos{color:var(--pos)}.neg{color:var(--neg)}.muted{color:var(--muted)}.warn{color:var(--warn)}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;border:1px solid var(--line)}.badge.bad{background:#4a1c1c;color:#ffb3ad;border-color:#7a2b2b}.badge.good{background:#173a27;color:#9be3b9;border-color:#245c3c}.badge.warn{background:#3d3012;color:#f2cc60}
.halted{font-size:22px;font-weight:800;color:#ffb3ad}.facts .fact{display:inline-block;margin:0 10px 2px 0;white-space:nowrap}.facts b{color:var(--muted);font-weight:500}
tr.winner td{background:#173a27}tr.above td{background:rgba(229,83,75,.06)}tr.below td{color:var(--muted)}
.spark polyline{fill:none;stroke-width:1.6}.spark polyline.pos{stroke:var(--pos)}.spark polyline.neg{stroke:var(--neg)}.spark .zero,.chart .zero{stroke:var(--line);stroke-dasharray:2 2}
.chart{background:var(--panel);border:1px solid var(--line);border-radius:6px;max-height:220px}.chart .line{fill:none;stroke:var(--accent);stroke-width:2}.chart circle{fill:var(--accent)}.chart .axis{fill:var(--muted);font-size:11px}
form.filters{display:flex;gap:8px;flex-wrap:wrap;align-items:end;margin-bottom:10px}form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
input,select,button{font:inherit}form.filters input,form.filters select,.actions input,.actions select{background:var(--bg);color:var(--text);border:1px solid var(--line);padding:4px 6px}
button{background:var(--accent);color:#fff;border:0;border-radius:4px;padding:5px 12px;cursor:pointer}button.danger{background:#b62324}button.secondary{background:#3a4450}
.result{white-space:pre-wrap;font-family:ui-monospace,monospace;font-size:12px;margin-top:8px;color:var(--text)}.result.bad{color:#ffb3ad}
details>summary{cursor:pointer;color:var(--accent)}.pos-card{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:10px 14px;margin-bottom:14px}
.live{font-size:12px}.live.on{color:var(--pos)}.live.off{color:var(--warn)}code{font-family:ui-monospace,monospace;font-size:12px}
`;

export interface PageOptions {
  readonly path: string;
  readonly title: string;
  /** Whether the page follows the journal and queues live (server-sent events). */
  readonly live?: boolean;
}

/** The whole HTML document: header with navigation and the token field, the page's <main>, the inline script. */
export function layout(o: PageOptions, body: string): string {
  const nav = PAGES.map((p) => `<a href="${p.path}"${p.path === o.path ? ' class="on"' : ''}>${esc(p.title)}</a>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(o.title)} · thetadesk</title><link rel="icon" href="data:,"><style>${CSS}</style></head>
<body data-live="${o.live === false ? 'off' : 'on'}">
<header><span class="brand">thetadesk</span><nav>${nav}</nav>
<span class="right"><span id="live" class="live off">${o.live === false ? '' : 'connecting'}</span><label class="muted" for="token">token</label><input id="token" type="password" autocomplete="off" placeholder="for actions"></span></header>
<main>${body}</main>
<script>${CLIENT_SCRIPT}</script>
</body></html>`;
}
