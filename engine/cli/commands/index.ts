import type { Command } from 'commander';

type Register = (program: Command) => void;

/*
 * Each command's module is loaded only when that command runs: the engine's adapters (BullMQ, the
 * IB client, SQLite) cost a second of start-up that `thetadesk lint` in a pre-commit hook or a CI
 * step should not pay. `typeof import()` keeps the types; require() keeps the loading lazy.
 */
const MODULES: Readonly<Record<string, () => Register>> = {
  analyze: () => (require('./analyze') as typeof import('./analyze')).register,
  backtest: () => (require('./backtest') as typeof import('./backtest')).register,
  config: () => (require('./config-show') as typeof import('./config-show')).register,
  dashboard: () => (require('./dashboard') as typeof import('./dashboard')).register,
  decide: () => (require('./decide') as typeof import('./decide')).register,
  demo: () => (require('./demo') as typeof import('./demo')).register,
  doctor: () => (require('./doctor') as typeof import('./doctor')).register,
  enqueue: () => (require('./enqueue') as typeof import('./enqueue')).register,
  export: () => (require('./export') as typeof import('./export')).register,
  gateway: () => (require('./gateway') as typeof import('./gateway')).register,
  halt: () => (require('./halt') as typeof import('./halt')).register,
  journal: () => (require('./journal') as typeof import('./journal')).register,
  lint: () => (require('./lint') as typeof import('./lint')).register,
  orders: () => (require('./orders') as typeof import('./orders')).register,
  positions: () => (require('./positions') as typeof import('./positions')).register,
  run: () => (require('./run') as typeof import('./run')).register,
  schedule: () => (require('./schedule') as typeof import('./schedule')).register,
  score: () => (require('./score') as typeof import('./score')).register,
  status: () => (require('./status') as typeof import('./status')).register,
};

/** Commands that live in another command's module (halt/resume, run/worker). */
const SHARED: Readonly<Record<string, string>> = { resume: 'halt', worker: 'run' };

/**
 * Registers the commands `name` needs: only its own module when it is a known command, else every
 * command (help, --version, a typo that commander answers with "did you mean"). Sorted by name.
 */
export function registerCommands(program: Command, name: string | undefined): void {
  const mod = name === undefined ? undefined : Object.hasOwn(SHARED, name) ? SHARED[name] : Object.hasOwn(MODULES, name) ? name : undefined;
  const wanted = mod === undefined ? Object.keys(MODULES) : [mod];
  for (const m of wanted) MODULES[m]?.()(program);
}
