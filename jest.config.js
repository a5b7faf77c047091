/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is a separate CI step (npm run typecheck); transpile-only keeps tests fast.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false, tsconfig: { isolatedModules: true } }],
  },
  testTimeout: 60000,
  // Integration tests share one Redis and spawn child processes: keep the machine (2 cores) unsaturated.
  maxWorkers: 2,
};
