import { closestName, didYouMean } from '../../../engine/shared/closest-name';
import { printable, quoteValue } from '../../../engine/shared/quote-value';

describe('when an error message quotes a value', () => {
  it.each([
    ['a short string', 'SPY', '"SPY"'],
    ['quotes and backslashes', 'a"b\\c', '"a\\"b\\\\c"'],
    ['control characters', 'a\u0000b\nc\u001b', '"a\\u0000b\\u000ac\\u001b"'],
    ['the replacement character of invalid UTF-8', 'caf\ufffd', '"caf\\ufffd"'],
    ['a lone surrogate', 'x\ud800y', '"x\\ud800y"'],
    ['a number', 1e21, '1e+21'],
    ['Infinity', Infinity, 'Infinity'],
    ['null', null, 'null'],
    ['a boolean', false, 'false'],
    ['an array', [1, 2, 3], 'an array of 3'],
    ['an object', { a: 1 }, 'an object with 1 key'],
  ])('should quote %s as %s', (_name, value, expected) => {
    expect(quoteValue(value)).toBe(expected);
  });

  it('should quote at most 80 characters of a 10 MB string and say how long it was', () => {
    const q = quoteValue('x'.repeat(10_000_000));
    expect(q).toBe(`"${'x'.repeat(80)}… (10000000 chars)"`);
  });

  it('should not cut a surrogate pair in half', () => {
    const q = quoteValue(`${'a'.repeat(79)}😀tail`);
    expect(q).toBe(`"${'a'.repeat(79)}… (85 chars)"`);
  });

  it('should describe a 5,000-deep array without walking it', () => {
    let deep: unknown = [];
    for (let i = 0; i < 5000; i++) deep = [deep];
    expect(quoteValue(deep)).toBe('an array of 1');
  });

  it('should make parser text printable', () => {
    expect(printable('Unexpected token \u0000')).toBe('Unexpected token \\u0000');
  });
});

describe('when a name is misspelt', () => {
  it.each([
    ['strik', ['right', 'strike', 'action', 'bid', 'ask', 'delta'], 'strike'],
    ['ivrank', ['strategy', 'iv_rank', 'legs'], 'iv_rank'],
    ['IV_RANK', ['strategy', 'iv_rank', 'legs'], 'iv_rank'],
    ['symbl', ['symbol'], 'symbol'],
    ['strategy_analysys', ['strategy_analysis', 'execute_strategies'], 'strategy_analysis'],
    ['bogus', ['strategy', 'iv_rank', 'legs'], null],
    ['bd', ['bid', 'ask'], 'bid'],
    ['x', ['bid', 'ask'], null],
  ])('should suggest for %s among %j: %s', (typo, known, expected) => {
    expect(closestName(typo, known)).toBe(expected);
  });

  it('should word the suggestion for a message, or say nothing', () => {
    expect(didYouMean('ivrank', ['iv_rank'])).toBe(' (did you mean "iv_rank"?)');
    expect(didYouMean('zzz', ['iv_rank'])).toBe('');
  });
});
