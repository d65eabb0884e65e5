// Worker bootstrap: worker threads do not inherit the parent's TypeScript loader, so register
// tsx's ESM hooks here before loading the TypeScript worker (the product runs without a build).
import { register } from 'tsx/esm/api';

register();
await import('./uncertainty.worker.ts');
