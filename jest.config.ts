import type { Config } from 'jest';

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  // The packed-package spec (a build and two npm installs) runs on its own: jest.package.config.ts.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/spec/package/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }],
  },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  setupFiles: ['<rootDir>/spec/support/fast-check-seed.ts', '<rootDir>/spec/support/no-leaked-handles.ts'],
  setupFilesAfterEnv: ['<rootDir>/spec/support/leak-check.ts'],
  // Two workers on the two cores: the suite is mostly CPU-bound runs and child processes.
  maxWorkers: 2,
  // A leak fails its file (spec/support/no-leaked-handles.ts); it must not also hang the run.
  forceExit: true,
  testTimeout: 20000,
};

export default config;
