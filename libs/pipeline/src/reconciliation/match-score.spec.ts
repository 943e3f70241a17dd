import { describe, expect, it } from '@jest/globals';
import { matchScore, metresBetween, normalizeText, textSimilarity } from './match-score.js';

describe('match score', () => {
  it('normalises case, accents and punctuation', () => {
    expect(normalizeText('Dézé Mona – Hilda (Try-Out)')).toBe('deze mona hilda try out');
  });

  it('sees a ticketing title with a tour name as the same as the calendar title, and different shows as different', () => {
    expect(textSimilarity('Dez Mona', 'Dez Mona - Hilda tour 2027')).toBeGreaterThan(0.8);
    expect(textSimilarity('Dez Mona', 'Dez Mona')).toBe(1);
    expect(textSimilarity('Dez Mona', 'Het Zesde Metaal')).toBeLessThan(0.4);
    expect(textSimilarity('Concert', 'Concert van het Brussels Philharmonic')).toBeLessThan(0.8);
  });

  it('measures distance in metres', () => {
    expect(metresBetween({ latitude: 51.0436, longitude: 3.7197 }, { latitude: 51.0445, longitude: 3.7197 })).toBeGreaterThan(90);
    expect(metresBetween({ latitude: 51.0436, longitude: 3.7197 }, { latitude: 51.0445, longitude: 3.7197 })).toBeLessThan(110);
  });

  it('scores the same performance high and a different show at the same venue low', () => {
    const venue = { name: { nl: 'Vooruit' }, address: { street: 'Sint-Pietersnieuwstraat', houseNumber: '23' } };
    const same = matchScore({ title: { nl: 'Dez Mona' }, place: venue }, { title: { nl: 'DEZ MONA' }, place: { name: { nl: 'Vooruit Gent' }, address: { street: 'Sint-Pietersnieuwstraat', houseNumber: '23' } } }, 0, 30);
    expect(same.score).toBe(1);
    const other = matchScore({ title: { nl: 'Dez Mona' }, place: venue }, { title: { nl: 'Stand-up avond' }, place: venue }, 0, 30);
    expect(other.score).toBeLessThan(0.55);
    const later = matchScore({ title: { nl: 'Dez Mona' }, place: venue }, { title: { nl: 'Dez Mona' }, place: venue }, 30, 30);
    expect(later.score).toBeCloseTo(0.9, 5);
  });
});
