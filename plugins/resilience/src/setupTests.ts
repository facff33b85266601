import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The whole Resilience tab renders in jsdom in several seconds on a loaded two-core machine (CI
// runs the backend's database suites beside these): allow for that, rather than fail on time.
configure({ asyncUtilTimeout: 15_000 });
jest.setTimeout(60_000);
