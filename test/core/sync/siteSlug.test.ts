import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { siteSlug } from '../../../electron/core/sync/siteSlug';

describe('siteSlug', () => {
  it('keeps hostile and accented site names inside their own folder', () => {
    expect(siteSlug('../../x')).toBe('x');
    expect(siteSlug('Zürich / 3')).toBe('zurich-3');
    expect(siteSlug('Straße 5, Köln')).toBe('strasse-5-koln');
    expect(siteSlug('  Data Centre  B2 ')).toBe('data-centre-b2');
    expect(siteSlug('..\\..\\windows')).toBe('windows');
  });

  it('gives a name without Latin letters a stable folder of its own', () => {
    const tokyo = siteSlug('東京');
    expect(tokyo).toMatch(/^site-[0-9a-f]{12}$/);
    expect(siteSlug('東京')).toBe(tokyo);
    expect(siteSlug('大阪')).not.toBe(tokyo);
    expect(siteSlug('..')).toMatch(/^site-[0-9a-f]{12}$/);
  });

  it('only ever yields [a-z0-9-], without leading or trailing dashes, at most 60 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (site) => {
        const slug = siteSlug(site);
        expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(slug.length).toBeLessThanOrEqual(60);
        expect(siteSlug(site)).toBe(slug);
      }),
      { numRuns: 500 },
    );
  });
});
