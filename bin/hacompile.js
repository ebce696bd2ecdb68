#!/usr/bin/env node
// The CLI as one bundle (npm run build writes dist/app/): loading a few files instead of ninety
// saves about 30 ms of every run.
import { main } from '../dist/app/main.js';
import { tuneV8 } from './v8-tuning.js';

tuneV8();
process.exitCode = await main(process.argv.slice(2));
