#!/usr/bin/env node
// Runs a TypeScript entry point through tsx's loader, so the product needs no build step.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

register();
// The entry point takes the script's place in argv, as `node script` would have it.
const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
await import(pathToFileURL(entry).href);
