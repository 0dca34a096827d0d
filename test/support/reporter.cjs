// Mocha reporter: the spec reporter on the console, a JSON report at test-results/report.json, and a
// closing line "N passed, N failed" (CI reads that line, not mocha's own summary).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class AccioReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const passes = [];
    const failures = [];
    const pending = [];
    const clean = (test, err) => ({
      title: test.title,
      fullTitle: test.fullTitle(),
      file: test.file,
      durationMs: test.duration,
      ...(err ? { error: { message: err.message, stack: err.stack } } : {}),
    });
    runner.on(EVENT_TEST_PASS, (t) => passes.push(clean(t)));
    runner.on(EVENT_TEST_FAIL, (t, err) => failures.push(clean(t, err)));
    runner.on(EVENT_TEST_PENDING, (t) => pending.push(clean(t)));
    runner.once(EVENT_RUN_END, () => {
      const out = process.env.ACCIO_TEST_REPORT || path.join('test-results', 'report.json');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const stats = { passes: passes.length, failures: failures.length, pending: pending.length };
      fs.writeFileSync(out, JSON.stringify({ stats, passes, failures, pending }, null, 2));
      // Printed after the spec summary: the last line of the run.
      process.on('exit', () => {
        const skipped = pending.length ? `, ${pending.length} skipped` : '';
        process.stdout.write(`${passes.length} passed, ${failures.length} failed${skipped}\n`);
      });
    });
  }
}

module.exports = AccioReporter;
