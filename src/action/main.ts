/** The action's entry point (action.yml `main: dist/index.js`): everything happens in run(). */
import { run } from './run.js';

await run();
