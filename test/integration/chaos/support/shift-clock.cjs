'use strict';
// Preload for chaos tests (node --require): the process's wall clock runs CHAOS_CLOCK_OFFSET_MS
// ahead of the real one (at real speed, like libfaketime), so `thetadesk run` and the commands an
// operator types next to it agree on a market hour whenever the suite runs. Only Date moves:
// timers, Redis, SQLite and the product itself are real.
const offset = Number(process.env.CHAOS_CLOCK_OFFSET_MS);
if (Number.isFinite(offset) && offset !== 0) {
  const RealDate = Date;
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(RealDate.now() + offset).toString();
    return args.length === 0 ? new RealDate(RealDate.now() + offset) : new RealDate(...args);
  }
  ShiftedDate.prototype = RealDate.prototype;
  ShiftedDate.now = () => RealDate.now() + offset;
  ShiftedDate.parse = RealDate.parse;
  ShiftedDate.UTC = RealDate.UTC;
  globalThis.Date = ShiftedDate;
}
