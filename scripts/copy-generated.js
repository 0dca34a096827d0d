// Copies the committed Thrift code (src/api/gen-nodejs: .js and .d.ts) into dist, beside the
// compiled src/api: tsc compiles .ts files only and would leave dist's `require('./gen-nodejs/...')`
// dangling. Run by `npm run build` after tsc.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const from = path.join(root, 'src/api/gen-nodejs');
const to = path.join(root, 'dist/src/api/gen-nodejs');

fs.rmSync(to, { recursive: true, force: true });
fs.cpSync(from, to, { recursive: true });
