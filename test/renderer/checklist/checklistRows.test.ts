import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, hexOf } from '../../../renderer/components/base64';
import { isThumbnail } from '../../../renderer/components/attachments/isThumbnail';
import { checklistProgress, checklistRows } from '../../../renderer/screens/checklist/checklistRows';

const item = (id: string, required = true) => ({ id, text: `Item ${id}`, required });
const tick = (itemId: string) => ({ itemId, note: 'seen', seq: 2, timeUtc: '2026-12-05T21:00:00Z' });

describe('the checklist', () => {
  it("pairs the plan's items with the run's ticks, in the plan's order", () => {
    const rows = checklistRows([item('backup'), item('outage'), item('coffee', false)], { outage: tick('outage') });
    expect(rows.map((r) => [r.item.id, r.tick?.note])).toEqual([
      ['backup', undefined],
      ['outage', 'seen'],
      ['coffee', undefined],
    ]);
    expect(checklistProgress(rows)).toEqual({ done: 1, total: 3, requiredLeft: 1 });
  });

  it('is complete when every required item is ticked, optional ones aside', () => {
    const rows = checklistRows([item('backup'), item('coffee', false)], { backup: tick('backup') });
    expect(checklistProgress(rows).requiredLeft).toBe(0);
  });

  it('shows photos as thumbnails, other files by name', () => {
    expect(isThumbnail({ mediaType: 'image/jpeg', size: 3_000_000 })).toBe(true);
    expect(isThumbnail({ mediaType: 'image/png', size: 5 * 1024 * 1024 })).toBe(false);
    expect(isThumbnail({ mediaType: 'image/svg+xml', size: 100 })).toBe(false);
    expect(isThumbnail({ mediaType: 'application/pdf', size: 100 })).toBe(false);
    expect(isThumbnail({ mediaType: 'image/png', size: 0 })).toBe(false);
  });
});

describe('upload encoding', () => {
  it('encodes bytes as base64 the way Node does, across its internal slices', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('decodes what it encodes, byte for byte (downloads and thumbnails come back as base64)', () => {
    const bytes = new Uint8Array(70_001).map((_, i) => (i * 7 + 3) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    expect(base64ToBytes('')).toEqual(new Uint8Array());
  });

  it('writes a digest as lowercase hex', () => {
    expect(hexOf(new Uint8Array([0, 15, 255]).buffer)).toBe('000fff');
  });
});
