/**
 * Versioned schema of the journal. Append only: a shipped migration is never edited, a change is a
 * new entry. Each runs in its own transaction with the `user_version` bump, so a crash mid-way
 * leaves the previous version intact.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial journal',
    sql: `
      CREATE TABLE config_snapshots (
        hash TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        sources_json TEXT NOT NULL
      );
      CREATE TABLE runs (
        job_id TEXT PRIMARY KEY,
        task TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        scheduled_for INTEGER,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'skipped', 'missed', 'refused')),
        detail TEXT
      );
      CREATE INDEX runs_task_started ON runs (task, started_at);
      CREATE TABLE analyses (
        id TEXT PRIMARY KEY,
        config_hash TEXT NOT NULL,
        as_of INTEGER NOT NULL,
        trading_date TEXT NOT NULL,
        result_json TEXT NOT NULL
      );
      CREATE TABLE candidates (
        analysis_id TEXT NOT NULL REFERENCES analyses (id),
        symbol TEXT NOT NULL,
        rank INTEGER NOT NULL,
        strategy TEXT NOT NULL,
        expiry TEXT NOT NULL,
        score REAL,
        candidate_json TEXT NOT NULL,
        PRIMARY KEY (analysis_id, symbol, rank)
      );
      CREATE TABLE decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        config_hash TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('exit', 'entry')),
        subject TEXT NOT NULL,
        action TEXT NOT NULL,
        rule TEXT,
        reason TEXT NOT NULL,
        trace_json TEXT NOT NULL
      );
      CREATE INDEX decisions_at ON decisions (at);
      CREATE TABLE order_intents (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('open', 'close', 'reduce', 'roll')),
        position_id TEXT,
        symbol TEXT NOT NULL,
        strategy TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        urgency TEXT NOT NULL,
        legs_json TEXT NOT NULL,
        context_json TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'working', 'filled', 'partially_filled', 'unfilled', 'cancelled', 'rejected')),
        status_detail TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE orders (
        broker_order_id TEXT PRIMARY KEY,
        intent_id TEXT NOT NULL REFERENCES order_intents (id),
        broker TEXT NOT NULL,
        limit_price REAL NOT NULL,
        status TEXT NOT NULL,
        filled_quantity INTEGER NOT NULL DEFAULT 0,
        avg_fill_price REAL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX orders_intent ON orders (intent_id);
      CREATE TABLE order_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        intent_id TEXT NOT NULL,
        broker_order_id TEXT,
        at INTEGER NOT NULL,
        event TEXT NOT NULL,
        detail_json TEXT NOT NULL
      );
      CREATE TABLE executions (
        exec_id TEXT PRIMARY KEY,
        intent_id TEXT NOT NULL,
        broker_order_id TEXT NOT NULL,
        symbol TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        price REAL NOT NULL,
        commission REAL NOT NULL DEFAULT 0,
        time INTEGER NOT NULL
      );
      CREATE TABLE strategy_positions (
        id TEXT PRIMARY KEY,
        opened_by_intent TEXT NOT NULL UNIQUE,
        symbol TEXT NOT NULL,
        strategy TEXT NOT NULL,
        legs_json TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        entry_credit REAL NOT NULL,
        entry_iv REAL,
        entry_vix REAL,
        entry_time INTEGER NOT NULL,
        peak_profit_pct REAL,
        partial_taken INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL CHECK (status IN ('open', 'closed')),
        closed_at INTEGER,
        realized_pnl REAL
      );
      CREATE TABLE daily_stats (
        trading_date TEXT PRIMARY KEY,
        stats_json TEXT NOT NULL,
        computed_at INTEGER NOT NULL
      );
      CREATE TABLE engine_state (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'market snapshots, history, risk refusals',
    sql: `
      CREATE TABLE market_snapshots (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        trading_date TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('option', 'index')),
        symbol TEXT NOT NULL,
        data_json TEXT NOT NULL
      );
      CREATE INDEX market_snapshots_day ON market_snapshots (trading_date, kind, symbol, at);
      CREATE TABLE iv_history (
        symbol TEXT NOT NULL,
        date TEXT NOT NULL,
        iv REAL NOT NULL,
        loaded_at INTEGER NOT NULL,
        PRIMARY KEY (symbol, date)
      );
      CREATE TABLE risk_refusals (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        intent_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        symbol TEXT NOT NULL,
        stage TEXT NOT NULL CHECK (stage IN ('intent', 'send')),
        reasons_json TEXT NOT NULL
      );
      CREATE INDEX risk_refusals_at ON risk_refusals (at);
    `,
  },
  {
    version: 3,
    name: 'runs may be deferred (broker maintenance windows)',
    // SQLite cannot change a CHECK constraint in place: the table is rebuilt with its rows.
    sql: `
      CREATE TABLE runs_v3 (
        job_id TEXT PRIMARY KEY,
        task TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        scheduled_for INTEGER,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'skipped', 'missed', 'refused', 'deferred')),
        detail TEXT
      );
      INSERT INTO runs_v3 (job_id, task, config_hash, scheduled_for, started_at, ended_at, status, detail)
        SELECT job_id, task, config_hash, scheduled_for, started_at, ended_at, status, detail FROM runs;
      DROP TABLE runs;
      ALTER TABLE runs_v3 RENAME TO runs;
      CREATE INDEX runs_task_started ON runs (task, started_at);
    `,
  },
  {
    version: 4,
    name: 'entry deltas of strategy positions',
    // Signed deltas of the legs when the position was opened, aligned with legs_json: the exit
    // rules judge a short leg against its own entry delta (#17). NULL for positions opened before.
    sql: `
      ALTER TABLE strategy_positions ADD COLUMN entry_deltas_json TEXT;
    `,
  },
  {
    version: 5,
    name: 'journal reserve',
    sql: `
      -- Ballast released when a write fails for lack of space, so the positions can still be
      -- closed and journaled while new entries are halted (engine/store/journal-reserve.ts).
      CREATE TABLE journal_reserve (
        id INTEGER PRIMARY KEY,
        filler BLOB NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'rolls: position links, intents sent after another, roll decisions, leg fill prices',
    // A roll closes one position and opens another (#17): position_rolls links them once the new
    // one exists; after_intent holds a roll's open until its close filled; the roll's own decision
    // (candidate, score, gates, risk) is journaled as kind 'roll'. SQLite cannot change a CHECK in
    // place: decisions is rebuilt with its rows.
    sql: `
      CREATE TABLE position_rolls (
        from_position_id TEXT NOT NULL,
        to_position_id TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('combo', 'linked')),
        close_intent_id TEXT NOT NULL,
        open_intent_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (from_position_id, to_position_id)
      );
      CREATE INDEX position_rolls_to ON position_rolls (to_position_id);
      ALTER TABLE order_intents ADD COLUMN after_intent TEXT REFERENCES order_intents (id);
      -- Per-leg fill prices where the broker reports them (the paper broker does; IB folds them into
      -- the combo's): a roll's one net price is split between its close and its open with them.
      ALTER TABLE executions ADD COLUMN leg_prices_json TEXT;
      CREATE INDEX order_intents_after ON order_intents (after_intent) WHERE after_intent IS NOT NULL;
      CREATE TABLE decisions_v6 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        config_hash TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('exit', 'entry', 'roll')),
        subject TEXT NOT NULL,
        action TEXT NOT NULL,
        rule TEXT,
        reason TEXT NOT NULL,
        trace_json TEXT NOT NULL
      );
      INSERT INTO decisions_v6 (id, at, config_hash, kind, subject, action, rule, reason, trace_json)
        SELECT id, at, config_hash, kind, subject, action, rule, reason, trace_json FROM decisions;
      DROP TABLE decisions;
      ALTER TABLE decisions_v6 RENAME TO decisions;
      CREATE INDEX decisions_at ON decisions (at);
    `,
  },
];
