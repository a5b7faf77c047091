import type { AccountSummary } from '../model/broker-records';
import type { AlertRaiser } from '../alerts/alert';
import type { CompiledConfig } from '../config/types';
import type { OrderIntent } from '../model/order-intent';
import type { Clock } from '../shared/clock';
import { exchangeDate } from '../shared/exchange-time';
import { EngineStateRepo } from '../store/engine-state-repo';
import { IntentsRepo } from '../store/intents-repo';
import type { Db } from '../store/journal';
import { PositionsRepo } from '../store/positions-repo';
import { RiskRefusalsRepo } from '../store/risk-refusals-repo';
import { CircuitBreaker } from './circuit-breaker';
import { KillSwitch } from './kill-switch';
import { checkRisk, type PortfolioSnapshot, type RiskFlags, type RiskVerdict } from './risk-manager';
import { maxLossDollars } from './spread-risk';


export interface RiskGateDeps {
  readonly db: Db;
  /** The account the limits are measured against (the broker port satisfies it). */
  readonly broker: { accountSummary(): Promise<AccountSummary> };
  readonly config: CompiledConfig;
  readonly clock: Clock;
  readonly alerts: AlertRaiser;
}

const SOD_KEY = 'start_of_day_net_liquidation';

/**
 * The risk manager with its inputs: the broker's account, the journal's open positions and the
 * opens still in flight (so two entries in one day cannot both pass against the same room), the
 * halt switch and the circuit breaker. Every refusal is journaled and alerted.
 */
export class RiskGate {
  readonly breaker: CircuitBreaker;
  readonly killSwitch: KillSwitch;
  private readonly refusals: RiskRefusalsRepo;
  private readonly state: EngineStateRepo;

  constructor(private readonly d: RiskGateDeps) {
    this.state = new EngineStateRepo(d.db);
    this.breaker = new CircuitBreaker(d.config.strategies.risk.circuit_breaker, this.state);
    this.killSwitch = new KillSwitch(this.state);
    this.refusals = new RiskRefusalsRepo(d.db);
  }

  flags(): RiskFlags {
    return { halted: this.killSwitch.get().halted, breaker_open: !this.breaker.allowsOpening(this.d.clock.now()) };
  }

  async portfolio(excludeIntent?: string): Promise<PortfolioSnapshot> {
    const account = await this.d.broker.accountSummary();
    const now = this.d.clock.now();
    const today = exchangeDate(now);
    let sod = this.state.get<{ date: string; value: number }>(SOD_KEY);
    if (!sod || sod.date !== today) {
      sod = { date: today, value: account.net_liquidation };
      this.state.set(SOD_KEY, sod, now);
    }
    const open: Record<string, number> = {};
    let maxLoss = 0;
    const positions = new PositionsRepo(this.d.db);
    for (const p of positions.list('open')) {
      open[p.symbol] = (open[p.symbol] ?? 0) + 1;
      maxLoss += maxLossDollars(p.legs, p.entry_credit, p.quantity);
    }
    for (const i of new IntentsRepo(this.d.db).active()) {
      if (i.kind !== 'open' || i.id === excludeIntent || positions.get(i.position_id)) continue;
      open[i.symbol] = (open[i.symbol] ?? 0) + 1;
      maxLoss += i.context.max_loss ?? i.width * 100 * i.quantity;
    }
    return { net_liquidation: account.net_liquidation, buying_power: account.buying_power, start_of_day_net_liquidation: sod.value, open_positions: open, open_max_loss: maxLoss };
  }

  /** What the check at send would say now, journaling and alerting nothing (dry runs, plans). */
  async preview(intent: OrderIntent): Promise<RiskVerdict> {
    if (intent.kind === 'close' || intent.kind === 'reduce') return { allowed: true, reasons: [] };
    const snapshot = await this.portfolio(intent.id);
    const maxLoss = intent.context.max_loss ?? intent.width * 100 * intent.quantity;
    return checkRisk({ kind: intent.kind, symbol: intent.symbol, max_loss: maxLoss }, snapshot, this.d.config.strategies.risk, this.flags());
  }

  /**
   * The one authoritative check, made by the order executor just before sending; a refusal is
   * journaled and alerted before it is returned. Closing and reducing always pass.
   */
  async check(intent: OrderIntent, stage: 'intent' | 'send'): Promise<RiskVerdict> {
    const verdict = await this.preview(intent);
    if (!verdict.allowed) {
      const now = this.d.clock.now();
      this.refusals.record({ at: now, intent_id: intent.id, kind: intent.kind, symbol: intent.symbol, stage, reasons: verdict.reasons });
      await this.d.alerts.raise({ severity: 'warning', kind: 'risk_refusal', message: `${intent.kind} ${intent.symbol} ${intent.strategy} refused (${stage}): ${verdict.reasons.join('; ')}` });
    }
    return verdict;
  }
}
