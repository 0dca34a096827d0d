#!/usr/bin/env node
// A stand-in executor for scheduler tests. Run as `fake-executor.cjs --addr A --task-id T`.
// Reads its plan from $FAKE_EXECUTOR_DIR/<T>.plan.json (no plan: exit 0 at once):
//   { "exitCode": 3 }             exit with that code (at once, or after sleepMs)
//   { "sleepMs": 500 }            run that long, then exit with exitCode (default 0)
//   { "sleepMs": null }           run until killed (at most 120 s, so a failed test leaves no orphan)
//   { "ignoreSigterm": true }     survive SIGTERM, so only SIGKILL stops it
//   { "grandchild": true }        start a child process that outlives nothing but is easy to forget
// Writes $FAKE_EXECUTOR_DIR/<T>.started.json (atomically) with its argv, pid, cwd, env and the
// grandchild's pid, then prints a line to stdout and one to stderr.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const argv = process.argv.slice(2);
const arg = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const dir = process.env.FAKE_EXECUTOR_DIR;
const taskId = arg('--task-id');
if (!dir || !taskId) {
  console.error('fake executor: needs FAKE_EXECUTOR_DIR and --task-id');
  process.exit(2);
}

let plan = {};
try {
  plan = JSON.parse(fs.readFileSync(path.join(dir, `${taskId}.plan.json`), 'utf8'));
} catch (err) {
  if (err.code !== 'ENOENT') throw err;
}

if (plan.ignoreSigterm) process.on('SIGTERM', () => console.log('fake executor: ignoring SIGTERM'));

let grandchildPid = null;
if (plan.grandchild) {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  grandchildPid = child.pid;
}

const report = { argv, pid: process.pid, cwd: process.cwd(), env: { ...process.env }, grandchildPid };
const out = path.join(dir, `${taskId}.started.json`);
fs.writeFileSync(`${out}.tmp`, JSON.stringify(report));
fs.renameSync(`${out}.tmp`, out);
console.log(`fake executor ${taskId}: started`);
console.error(`fake executor ${taskId}: this goes to stderr`);

const exitCode = plan.exitCode ?? 0;
if (plan.sleepMs === undefined) process.exit(exitCode);
setTimeout(() => process.exit(plan.sleepMs === null ? 99 : exitCode), plan.sleepMs ?? 120_000);
