import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { formatHotkey, parseHotkey, useHotkey } from './hotkeys';

function Harness({ keys, handler }: { keys: string; handler: () => void }) {
  useHotkey(keys, handler);
  return <input aria-label="Search" />;
}

describe('useHotkey', () => {
  it('fires a mod chord (Ctrl off macOS), also while typing', async () => {
    const user = userEvent.setup();
    const handler = vi.fn();
    render(<Harness keys="mod+k" handler={handler} />);
    await user.keyboard('{Control>}k{/Control}');
    expect(handler).toHaveBeenCalledTimes(1);
    await user.keyboard('k');
    expect(handler).toHaveBeenCalledTimes(1);
    await user.click(screen.getByRole('textbox', { name: 'Search' }));
    await user.keyboard('{Control>}k{/Control}');
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('fires a sequence typed within a second, not while typing in a field', async () => {
    const user = userEvent.setup();
    const handler = vi.fn();
    render(<Harness keys="g o" handler={handler} />);
    await user.keyboard('go');
    expect(handler).toHaveBeenCalledTimes(1);
    await user.keyboard('gxo');
    expect(handler).toHaveBeenCalledTimes(1);
    await user.keyboard('ggo');
    expect(handler).toHaveBeenCalledTimes(2);
    await user.click(screen.getByRole('textbox', { name: 'Search' }));
    await user.keyboard('go');
    expect(handler).toHaveBeenCalledTimes(2);
  });

  it('forgets a sequence after a second', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const handler = vi.fn();
    render(<Harness keys="g o" handler={handler} />);
    fireEvent.keyDown(window, { key: 'g' });
    vi.setSystemTime(Date.now() + 1500);
    fireEvent.keyDown(window, { key: 'o' });
    expect(handler).not.toHaveBeenCalled();
    fireEvent.keyDown(window, { key: 'g' });
    vi.setSystemTime(Date.now() + 500);
    fireEvent.keyDown(window, { key: 'o' });
    expect(handler).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });

  it('ignores keys already handled by a component', () => {
    const handler = vi.fn();
    render(<Harness keys="escape" handler={handler} />);
    const event = new KeyboardEvent('keydown', { key: 'Escape', cancelable: true, bubbles: true });
    event.preventDefault();
    window.dispatchEvent(event);
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('parseHotkey / formatHotkey', () => {
  it('parses chords and sequences', () => {
    expect(parseHotkey('mod+shift+k')).toEqual([
      { key: 'k', ctrl: true, meta: false, alt: false, shift: true },
    ]);
    expect(parseHotkey('g o').map((c) => c.key)).toEqual(['g', 'o']);
    expect(parseHotkey('?')[0]?.shift).toBeNull();
    expect(parseHotkey('esc')[0]?.key).toBe('escape');
  });

  it('formats key caps', () => {
    expect(formatHotkey('mod+k')).toEqual(['Ctrl', 'K']);
    expect(formatHotkey('g o')).toEqual(['G', 'O']);
    expect(formatHotkey('shift+enter')).toEqual(['Shift', '↵']);
  });
});
