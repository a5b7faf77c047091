import '@microsoft/jest-sarif';
import * as path from 'node:path';
import type { Problem } from '../../../engine/config/problem';
import { ciPath, githubLines, lintOutput, sarifLog } from '../../../engine/cli/lint-report';

const CWD = path.join(path.sep, 'repo');
const problem = (over: Partial<Problem>): Problem => ({ file: 'rules/exit.yaml', line: 12, col: 70, severity: 'error', code: 'E_FACT_RANGE', message: 'value 30 is outside the range of fact "short_delta_max"', ...over });

describe('when lint problems are written for CI', () => {
  describe('when the path is made relative to the repository root', () => {
    it.each([
      ['trading', problem({}), 'trading/rules/exit.yaml'],
      ['.', problem({ file: 'strategies.yaml' }), 'strategies.yaml'],
      [path.join(CWD, 'cfg', 'prod'), problem({}), 'cfg/prod/rules/exit.yaml'],
      ['missing', problem({ file: 'missing', code: 'E_CONFIG_DIR' }), 'missing'],
    ])('should turn --config %s and %j into %s', (dir, p, expected) => {
      expect(ciPath(p, dir, CWD)).toBe(expected);
    });
  });

  it('should print one GitHub workflow command per problem, escaping what the format reserves', () => {
    const lines = githubLines(
      [problem({}), problem({ file: 'strategies.yaml', line: 3, col: 1, severity: 'warning', code: 'W_X', message: '100% sure, a:b\nsecond line\r' })],
      'trading',
      CWD,
    );
    expect(lines).toEqual([
      '::error file=trading/rules/exit.yaml,line=12,col=70,title=thetadesk E_FACT_RANGE::value 30 is outside the range of fact "short_delta_max"',
      '::warning file=trading/strategies.yaml,line=3,col=1,title=thetadesk W_X::100%25 sure, a:b%0Asecond line%0D',
    ]);
  });

  it('should escape commas and colons in properties', () => {
    expect(githubLines([problem({ file: 'a,b:c.yaml' })], '.', CWD)[0]).toMatch(/^::error file=a%2Cb%3Ac\.yaml,line=12,/);
  });

  it('should write a valid SARIF 2.1.0 log with one rule per code and one result per problem', () => {
    const problems = [problem({}), problem({ line: 14 }), problem({ file: 'strategies.yaml', line: 28, col: 3, code: 'E_WEIGHTS_SUM', message: 'scoring weights must sum to 1; they sum to 1.05' })];
    const log = sarifLog(problems, 'trading', '1.2.3', CWD);
    expect(log).toBeValidSarifLog();
    const run = log.runs[0];
    expect(run?.tool.driver).toMatchObject({ name: 'thetadesk', version: '1.2.3' });
    expect(run?.tool.driver.rules?.map((r) => r.id)).toEqual(['E_FACT_RANGE', 'E_WEIGHTS_SUM']);
    expect(run?.results?.map((r) => [r.ruleId, r.ruleIndex, r.level, r.locations?.[0]?.physicalLocation?.artifactLocation?.uri, r.locations?.[0]?.physicalLocation?.region?.startLine])).toEqual([
      ['E_FACT_RANGE', 0, 'error', 'trading/rules/exit.yaml', 12],
      ['E_FACT_RANGE', 0, 'error', 'trading/rules/exit.yaml', 14],
      ['E_WEIGHTS_SUM', 1, 'error', 'trading/strategies.yaml', 28],
    ]);
  });

  it('should write a valid SARIF log with no results for a clean config (code scanning then closes old alerts)', () => {
    const log = JSON.parse(lintOutput('sarif', [], '.', 'ok: …', '0.1.0')) as unknown;
    expect(log).toBeValidSarifLog();
    expect((log as { runs: Array<{ results: unknown[] }> }).runs[0]?.results).toEqual([]);
  });

  it('should keep the ok line in text and github formats and print [] in json', () => {
    expect(lintOutput('text', [], '.', 'ok: 4 files', '0.1.0')).toBe('ok: 4 files');
    expect(lintOutput('github', [], '.', 'ok: 4 files', '0.1.0')).toBe('ok: 4 files');
    expect(lintOutput('json', [], '.', 'ok: 4 files', '0.1.0')).toBe('[]');
  });
});
