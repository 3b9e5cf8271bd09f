import { writeFileSync } from 'node:fs';
import { buildAsyncApiDocument } from './asyncapi';

const target = new URL('../asyncapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(buildAsyncApiDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
