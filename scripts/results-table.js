#!/usr/bin/env node
// Prints the demo's results from an aggregated `accio export` (artifacts.csv): epsilon against
// spatial distortion and POI retrieval, one line per epsilon, averaged over repeats.
'use strict';
const fs = require('node:fs');

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const [header, ...rows] = parseCsv(fs.readFileSync(process.argv[2], 'utf8'));
const col = (name) => header.indexOf(name);
const columns = [
  ['epsilon', 'epsilon', (v) => v],
  ['Distortion/mean', 'mean distortion (m)', (v) => Number(v).toFixed(1)],
  ['Distortion/median', 'median (m)', (v) => Number(v).toFixed(1)],
  ['Retrieval/precision', 'POI precision', (v) => Number(v).toFixed(3)],
  ['Retrieval/recall', 'POI recall', (v) => Number(v).toFixed(3)],
  ['count', 'runs', (v) => v],
].filter(([name]) => col(name) >= 0);
const table = [columns.map(([, title]) => title)];
rows.sort((a, b) => Number(a[col('epsilon')]) - Number(b[col('epsilon')]));
for (const r of rows) table.push(columns.map(([name, , fmt]) => fmt(r[col(name)])));
const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
for (const r of table) console.log(r.map((cell, i) => cell.padStart(widths[i])).join('  '));
