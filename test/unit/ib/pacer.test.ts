import { IbPacer } from '../../../engine/adapters/ib/pacer';
import { ManualClock } from '../../../engine/shared/clock';

function fakeTime(): { clock: ManualClock; sleep: (ms: number) => Promise<void>; slept: number[] } {
  const clock = new ManualClock(0);
  const slept: number[] = [];
  return {
    clock,
    slept,
    sleep: async (ms: number) => {
      slept.push(ms);
      clock.advance(ms);
      await Promise.resolve();
    },
  };
}

describe('IbPacer', () => {
  describe('when a burst of 120 messages arrives at once', () => {
    it('should let 50 through per second, in order, and none fail', async () => {
      const t = fakeTime();
      const pacer = new IbPacer({ clock: t.clock, sleep: t.sleep });
      const sentAt: number[] = [];
      await Promise.all(Array.from({ length: 120 }, (_, i) => pacer.message().then(() => (sentAt[i] = t.clock.now()))));
      expect(sentAt.slice(0, 50).every((x) => x === 0)).toBe(true);
      expect(sentAt[50]).toBe(1000);
      expect(sentAt[99]).toBe(1000);
      expect(sentAt[100]).toBe(2000);
      // No 1-second window ever holds more than 50 sends.
      for (const [i, x] of sentAt.entries()) expect(sentAt.filter((y, j) => j <= i && y > x - 1000).length).toBeLessThanOrEqual(50);
      expect([...sentAt].sort((a, b) => a - b)).toEqual(sentAt);
    });
  });

  describe('when more market-data lines are wanted than the account has', () => {
    it('should make the extra request wait until a line is released, FIFO', async () => {
      const t = fakeTime();
      const pacer = new IbPacer({ clock: t.clock, sleep: t.sleep, maxLines: 2, messagesPerSecond: 1000 });
      const a = await pacer.acquireLine();
      const b = await pacer.acquireLine();
      const order: string[] = [];
      const c = pacer.acquireLine().then((l) => {
        order.push('c');
        return l;
      });
      const d = pacer.acquireLine().then((l) => {
        order.push('d');
        return l;
      });
      await Promise.resolve();
      expect(order).toEqual([]);
      expect(pacer.lines).toBe(2);
      a.release();
      a.release(); // a double release must not free a second line
      const lc = await c;
      expect(order).toEqual(['c']);
      b.release();
      await d;
      expect(order).toEqual(['c', 'd']);
      expect(pacer.lines).toBe(2);
      lc.release();
      expect(pacer.lines).toBe(1);
    });
  });

  it('should refuse nonsensical limits', () => {
    const t = fakeTime();
    expect(() => new IbPacer({ clock: t.clock, sleep: t.sleep, maxLines: 0 })).toThrow('pacer limits must be at least 1');
  });
});
