// fitWidth with a measure of 7 px a character (the list's font measures in the browser:
// workstation.spec.ts checks that no Time cell is cut in any time format).
import { describe, expect, it } from 'vitest';
import { fitWidth } from './column-fit.js';

const measure = (text: string) => text.length * 7;
const PADDING = 15;

describe('fitWidth', () => {
  it('widens the Time column to a date and time of day', () => {
    // "2020-08-11 20:56:07.444827" is 26 characters: 182 px, 197 with the padding.
    expect(fitWidth(['2020-08-11 20:56:07.444827'], 'Time', { floor: 120, ceiling: 280 }, measure, PADDING)).toBe(197);
  });

  it('keeps the floor for short values, so later longer ones still fit', () => {
    expect(fitWidth(['0.000000', '0.019809'], 'Time', { floor: 120, ceiling: 280 }, measure, PADDING)).toBe(120);
  });

  it('narrows an address column to a whole IPv4 address, not to the addresses on screen', () => {
    // "255.255.255.255" is 15 characters: 105 px, 120 with the padding.
    expect(fitWidth(['10.0.0.1', '10.0.0.2'], 'Source', { floor: '255.255.255.255', ceiling: 300 }, measure, PADDING)).toBe(120);
  });

  it('stops at the ceiling for a long value', () => {
    expect(fitWidth(['2001:0db8:85a3:0000:0000:8a2e:0370:7334'], 'Source', { floor: '255.255.255.255', ceiling: 250 }, measure, PADDING)).toBe(250);
  });

  it('fits the title when it is the widest', () => {
    expect(fitWidth(['TCP'], 'Protocol name', { floor: 40, ceiling: 160 }, measure, PADDING)).toBe(13 * 7 + PADDING);
  });
});
