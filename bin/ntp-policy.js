#!/usr/bin/env node
// Entry point of the installed command: runs the bundled CLI in dist/bundle/ (built by `npm run build`).
import { main } from "../dist/bundle/main.js";

process.exitCode = await main(process.argv.slice(2));
