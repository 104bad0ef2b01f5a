// The one set of formatters every surface uses (CLI, panels, editor, notifications).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCount, formatDuration, formatSize, formatTimeLeft, plural } from '../../src/shared/format';

test('formatCount groups thousands, for numbers and bigints, negative too', () => {
  assert.equal(formatCount(0), '0');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(-1234), '-1,234');
  assert.equal(formatCount(18446744073709551615n), '18,446,744,073,709,551,615');
});

test('formatSize uses binary units', () => {
  assert.equal(formatSize(0), '0 bytes');
  assert.equal(formatSize(1536), '1.50 KiB');
  assert.equal(formatSize(1), '1 byte');
});

test('formatDuration: seconds, minutes, hours, days', () => {
  assert.equal(formatDuration(45), '45 s');
  assert.equal(formatDuration(1800), '30 min');
  assert.equal(formatDuration(9000), '2.5 h');
  assert.equal(formatDuration(12 * 86400), '12 d');
});

test('formatTimeLeft: to the second, never 0 s while anything is left', () => {
  assert.equal(formatTimeLeft(0.2), '1 s');
  assert.equal(formatTimeLeft(59.4), '59 s');
  assert.equal(formatTimeLeft(125), '2 min 5 s');
  assert.equal(formatTimeLeft(3 * 3600 + 180), '3 h 3 min');
});

test('plural', () => {
  assert.equal(plural(1, 'file'), '1 file');
  assert.equal(plural(1000, 'file'), '1,000 files');
});
