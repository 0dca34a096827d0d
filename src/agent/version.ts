import * as fs from 'node:fs';
import * as path from 'node:path';

/** The version in package.json, found from src/ or dist/src/. */
function readVersion(): string {
  for (const up of ['../..', '../../..']) {
    const file = path.resolve(__dirname, up, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

export const ACCIO_VERSION = readVersion();
