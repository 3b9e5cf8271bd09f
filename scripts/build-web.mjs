// Builds the SPA after `npm install`, so `npm start` serves it from a fresh clone. A production
// install without dev dependencies (the Docker image builds the SPA in its own stage) skips it.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../node_modules/vite/package.json', import.meta.url))) {
  console.log('postinstall: vite is not installed (production install), SPA build skipped');
  process.exit(0);
}
execFileSync('npm', ['run', 'build', '-w', '@echoplex/web'], { stdio: 'inherit' });
