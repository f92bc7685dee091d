import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestBudget } from '../src/lib/budget.js';

const headers = (values) => (name) => (name in values ? String(values[name]) : null);

test('without headers it assumes the default 1000 requests per hour', () => {
  const budget = new RequestBudget();
  // 2 requests per poll at 3.6 s each, using two thirds of the budget: every 10.8 s.
  assert.equal(budget.pollIntervalMs(2), 10800);
});

test('a larger key budget polls every 5 s; the slowest budget seen decides', () => {
  const budget = new RequestBudget();
  budget.update(headers({ 'RateLimit-Limit': 20000, 'RateLimit-Remaining': 19990, 'RateLimit-Reset': 2 }), 200);
  assert.equal(budget.pollIntervalMs(2), 5000);
  budget.update(headers({ 'RateLimit-Limit': 1000, 'RateLimit-Remaining': 990, 'RateLimit-Reset': 36 }), 200);
  assert.equal(budget.pollIntervalMs(2), 10800);
});

test('a nearly spent budget slows down, a 429 pauses for Retry-After', () => {
  let now = 0;
  const budget = new RequestBudget({ now: () => now });
  budget.update(headers({ 'RateLimit-Limit': 1000, 'RateLimit-Remaining': 10, 'RateLimit-Reset': 3564 }), 200);
  assert.ok(budget.isLow());
  assert.equal(budget.pollIntervalMs(2), 32400);
  budget.update(headers({ 'Retry-After': 50 }), 429);
  assert.equal(budget.pauseMs(), 50000);
  assert.equal(budget.pollIntervalMs(2), 50000);
  now = 60000;
  assert.equal(budget.pauseMs(), 0);
});
