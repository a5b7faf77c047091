import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

// The layer table of DESIGN.md: a folder may import only the folders listed for it (type imports
// included). `shared` is below everything. Lower rows never import from higher ones.
const LAYERS = {
  shared: [],
  model: ['shared'],
  config: ['shared', 'model'],
  market: ['shared', 'model', 'config'],
  strategy: ['shared', 'model', 'config', 'market'],
  rules: ['shared', 'model', 'config', 'market'],
  store: ['shared', 'model', 'config'],
  alerts: ['shared', 'model', 'config', 'store'],
  risk: ['shared', 'model', 'config', 'store', 'alerts'],
  // Adapters implement ports: they see the ports (market/, execution/broker) and the model only.
  'adapters/sim': ['shared', 'model', 'market', 'execution/broker.ts'],
  'adapters/ib': ['shared', 'model', 'market', 'execution/broker.ts'],
  // Stored markets (#16): option history from CSV, and recordings of what a run was answered.
  'adapters/csv': ['shared', 'model', 'market'],
  'adapters/recorded': ['shared', 'model', 'market'],
  execution: ['shared', 'model', 'config', 'market', 'strategy', 'rules', 'store', 'alerts', 'risk'],
  workflows: ['shared', 'model', 'config', 'market', 'strategy', 'rules', 'store', 'alerts', 'risk', 'execution'],
  queue: ['shared', 'model', 'config', 'market', 'strategy', 'rules', 'store', 'alerts', 'risk', 'execution', 'workflows'],
  // Emulators of outside systems (the TWS gateway): apart from the product, they drive adapters.
  testkit: ['shared', 'model', 'market', 'execution/broker.ts', 'adapters'],
};
const layerZones = Object.entries(LAYERS).map(([layer, allowed]) => ({
  target: `./engine/${layer}`,
  from: './engine',
  except: [`./${layer}`, ...allowed.map((a) => `./${a}`)],
  message: `engine/${layer} may import only ${allowed.join(', ') || 'nothing'} (the layer table in DESIGN.md)`,
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'bin/**', '*.config.js', '*.config.mjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, import: importPlugin },
    settings: { 'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      'import/no-cycle': ['error', { maxDepth: 10 }],
      'import/no-restricted-paths': ['error', { zones: layerZones }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
);
