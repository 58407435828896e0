import { describe, expect, it } from 'vitest';
import { exactChange, mostOf, planYen } from './change-plan.ts';

describe('change plan', () => {
  it('makes change with the fewest coins the tubes hold', () => {
    expect(exactChange(700, { 10: 10, 50: 10, 100: 10, 500: 10 })).toEqual({ 500: 1, 100: 2 });
  });

  it('uses smaller coins when a tube is empty', () => {
    expect(exactChange(700, { 10: 0, 50: 4, 100: 5, 500: 0 })).toEqual({ 100: 5, 50: 4 });
  });

  it('says null when the exact amount cannot be made', () => {
    expect(exactChange(700, { 10: 0, 50: 0, 100: 2, 500: 0 })).toBeNull();
    expect(exactChange(15, { 10: 9, 50: 9, 100: 9, 500: 9 })).toBeNull();
  });

  it('pays as much as it can when the exact amount cannot be made', () => {
    const plan = mostOf(700, { 10: 0, 50: 1, 100: 2, 500: 0 });
    expect(planYen(plan)).toBe(250);
  });
});
