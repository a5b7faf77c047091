import type { Command } from 'commander';
import { register as analyze } from './analyze';
import { register as configShow } from './config-show';
import { register as decide } from './decide';
import { register as demo } from './demo';
import { register as doctor } from './doctor';
import { register as enqueue } from './enqueue';
import { register as gateway } from './gateway';
import { register as halt } from './halt';
import { register as journal } from './journal';
import { register as lint } from './lint';
import { register as orders } from './orders';
import { register as positions } from './positions';
import { register as run } from './run';
import { register as schedule } from './schedule';
import { register as score } from './score';
import { register as status } from './status';

/** Every command registers itself on the program; keep this list sorted by name. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [analyze, configShow, decide, demo, doctor, enqueue, gateway, halt, journal, lint, orders, positions, run, schedule, score, status];
