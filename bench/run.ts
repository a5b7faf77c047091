/**
 * `npm run bench [-- SECTION]`: runs one section or all, printing one JSON line per section:
 * {"section": NAME, ...figures, "met": true|false}. Ratios are measured in one run (ours against a
 * baseline in the same process): these machines are shared and noisy, absolute times drift.
 */
type Section = () => Promise<Record<string, unknown>>;

const SECTIONS: Record<string, () => Promise<Section>> = {
  backtest: async () => (await import('./backtest')).run,
  ib: async () => (await import('./ib')).run,
  monitor: async () => (await import('./monitor')).run,
  rules: async () => (await import('./rules')).run,
  scan: async () => (await import('./scan')).run,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
  for (const name of names) {
    const load = SECTIONS[name];
    if (!load) {
      process.stderr.write(`bench: unknown section "${name}"; known: ${Object.keys(SECTIONS).join(', ') || '(none yet)'}\n`);
      process.exitCode = 2;
      return;
    }
    const run = await load();
    const result = await run();
    process.stdout.write(`${JSON.stringify({ section: name, ...result })}\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
