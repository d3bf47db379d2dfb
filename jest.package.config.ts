import type { Config } from 'jest';
import base from './jest.config';

/** The package as users install it: `npm pack`, then fresh ESM and CommonJS projects (slow). */
const config: Config = {
  ...base,
  roots: ['<rootDir>/spec/package'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300_000,
};

export default config;
