import assert from 'node:assert/strict';
import { colour, elapsed, humanDuration, percent, progressBar, relativeTime, valuePreview, valueText } from '../../src/cli/shared/format';
import { renderFields, renderTable, truncate } from '../../src/cli/shared/table';

describe('cli table', () => {
  const rows = [
    { name: 'alpha', n: 5, note: 'short' },
    { name: 'b', n: 12345, note: 'a note that is much longer than the column allows' },
  ];
  const columns = [
    { header: 'name', cell: (r: (typeof rows)[number]) => r.name },
    { header: 'n', cell: (r: (typeof rows)[number]) => String(r.n), align: 'right' as const },
    { header: 'note', cell: (r: (typeof rows)[number]) => r.note, maxWidth: 12 },
  ];

  it('aligns columns, right-aligns numbers and cuts long cells with an ellipsis', () => {
    assert.deepEqual(renderTable(columns, rows), [
      'NAME        N   NOTE',
      'alpha       5   short',
      'b       12345   a note that…',
    ]);
  });

  it('keeps long cells whole when truncation is off', () => {
    const lines = renderTable(columns, rows, { truncate: false });
    assert.ok(lines[2].endsWith('a note that is much longer than the column allows'));
  });

  it('measures coloured cells by their visible text', () => {
    const styled = [{ header: 'status', cell: (r: { s: string }) => r.s, style: (t: string) => colour(t, 'green', true) }, { header: 'x', cell: () => 'x' }];
    const lines = renderTable(styled, [{ s: 'OK' }, { s: 'SUCCESS' }]);
    assert.equal(lines[1], '\u001b[32mOK\u001b[0m        x');
    assert.equal(lines[2], '\u001b[32mSUCCESS\u001b[0m   x');
  });

  it('shows line breaks inside a cell as spaces', () => {
    assert.deepEqual(renderTable([{ header: 'm', cell: () => 'one\ntwo' }], [{}]), ['M', 'one two']);
  });

  it('cuts text to a width counting the ellipsis', () => {
    assert.equal(truncate('abcdef', 4), 'abc…');
    assert.equal(truncate('abc', 4), 'abc');
  });

  it('aligns the keys of detail fields and skips undefined ones', () => {
    assert.deepEqual(renderFields([['Id', 'x'], ['Name', undefined], ['Workflow', 'wf:1']]), ['Id:        x', 'Workflow:  wf:1']);
  });
});

describe('cli formats', () => {
  const now = Date.UTC(2026, 0, 31, 12);

  it('prints times relative to now, and old ones as dates', () => {
    assert.equal(relativeTime(now - 2000, now), 'just now');
    assert.equal(relativeTime(now + 3000, now), 'just now');
    assert.equal(relativeTime(now - 45_000, now), '45s ago');
    assert.equal(relativeTime(now - 3 * 60_000, now), '3m ago');
    assert.equal(relativeTime(now - 5 * 3_600_000, now), '5h ago');
    assert.equal(relativeTime(now - 12 * 86_400_000, now), '12d ago');
    assert.equal(relativeTime(Date.UTC(2025, 5, 1), now), '2025-06-01');
  });

  it('prints durations with their two largest units', () => {
    assert.equal(humanDuration(850), '850ms');
    assert.equal(humanDuration(12_400), '12s');
    assert.equal(humanDuration(185_000), '3m05s');
    assert.equal(humanDuration(3_720_000), '1h02m');
    assert.equal(humanDuration(2 * 86_400_000 + 3 * 3_600_000), '2d03h');
    assert.equal(elapsed(undefined, undefined, now), '-');
    assert.equal(elapsed(now - 5000, undefined, now), '5s');
  });

  it('draws progress bars and percentages, clamped to 0..1', () => {
    assert.equal(progressBar(0.5, 10), '[#####-----]');
    assert.equal(progressBar(2, 4), '[####]');
    assert.equal(percent(0.421), '42%');
    assert.equal(percent(Number.NaN), '0%');
  });

  it('adds colour only when asked', () => {
    assert.equal(colour('x', 'red', false), 'x');
    assert.equal(colour('x', 'red', true), '\u001b[31mx\u001b[0m');
  });

  it('prints values as text: datasets by URI, collections as JSON, long lists abbreviated', () => {
    assert.equal(valueText(0.5), '0.5');
    assert.equal(valueText(true), 'true');
    assert.equal(valueText({ uri: 'file:///d', digest: `sha256:${'a'.repeat(64)}` }), 'file:///d');
    assert.equal(valueText([1, 2]), '[1,2]');
    assert.equal(valueText({ a: 1 }), '{"a":1}');
    assert.equal(valuePreview(Array.from({ length: 12 }, (_, i) => i), 3), '[0, 1, 2, … (12 items)]');
  });
});
