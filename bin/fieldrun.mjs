#!/usr/bin/env node
// The `fieldrun` command. The CLI is TypeScript run through tsx, so it needs no build step and
// runs the same core code as the app and the tests.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
