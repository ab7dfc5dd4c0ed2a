/** The action's entry point (action.yml `main: dist/index.js`): everything happens in run(). */
import { limitHeapGrowth } from '../pipeline/heap-growth.js';
import { run } from './run.js';

limitHeapGrowth();
await run();
