import { createRequire } from 'node:module';
import type { Dcmjs } from './dcmjs.js';

// A static `import 'dcmjs'` would need an ambient declaration visible to every
// tsconfig that type-checks this file (see dcmjs.d.ts); loading it through
// createRequire keeps the typing local. The CommonJS build is the same code as
// the ESM one.
const loadCommonJs = createRequire(import.meta.url);

export const dcmjs = loadCommonJs('dcmjs') as Dcmjs;
