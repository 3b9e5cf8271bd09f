import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// A shared machine runs many test files at once: give slow renders (lazy pages) time, not a failure.
configure({ asyncUtilTimeout: 5_000 });

// Imported by every DOM test (through render-with-app), so the project config stays a plain entry:
// each test starts from an empty document.
afterEach(() => {
  cleanup();
});
