// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REVOKE_AFTER_MS, downloadBlob } from './download';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('downloadBlob', () => {
  it('clicks a temporary download link for the blob and revokes its URL afterwards', () => {
    vi.useFakeTimers();
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:test/1');
    const revoked = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
    const clicks: { href: string; download: string; attached: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicks.push({ href: this.href, download: this.download, attached: this.isConnected });
    });
    const blob = new Blob(['<svg/>'], { type: 'image/svg+xml' });
    const before = document.body.innerHTML;
    downloadBlob(blob, 'a.svg');
    expect(created).toHaveBeenCalledWith(blob);
    expect(clicks).toEqual([{ href: 'blob:test/1', download: 'a.svg', attached: true }]);
    expect(document.body.innerHTML).toBe(before);
    expect(revoked).not.toHaveBeenCalled();
    vi.advanceTimersByTime(REVOKE_AFTER_MS);
    expect(revoked).toHaveBeenCalledWith('blob:test/1');
  });
});
