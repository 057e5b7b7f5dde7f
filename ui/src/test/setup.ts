import '@testing-library/jest-dom/vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { toast } from '../components/toast';

// Screens load lazily; on a busy two-core machine the first one can take over the default
// second to appear. A longer wait changes nothing for a test whose element never comes.
configure({ asyncUtilTimeout: 5000 });

/*
 * jsdom has no layout. Give every element a viewport-sized box so that @tanstack/react-virtual
 * (which reads clientWidth/clientHeight of the scroll element) renders rows, and make
 * element.scrollTo move scrollTop and fire 'scroll' as a browser would.
 */
export const TEST_VIEWPORT = { width: 1000, height: 400 };

Object.defineProperties(HTMLElement.prototype, {
  clientHeight: { configurable: true, get: () => TEST_VIEWPORT.height },
  clientWidth: { configurable: true, get: () => TEST_VIEWPORT.width },
  offsetHeight: { configurable: true, get: () => TEST_VIEWPORT.height },
  offsetWidth: { configurable: true, get: () => TEST_VIEWPORT.width },
  scrollHeight: {
    configurable: true,
    get(this: HTMLElement) {
      return Math.max(TEST_VIEWPORT.height, contentHeight(this));
    },
  },
  scrollWidth: { configurable: true, get: () => TEST_VIEWPORT.width },
});

/** The height of an element's content: its children's inline px heights, summed (no layout in jsdom). */
function contentHeight(element: Element): number {
  let sum = 0;
  for (const child of Array.from(element.children)) {
    const height = child instanceof HTMLElement ? child.style.height : '';
    sum += height.endsWith('px') ? parseFloat(height) : contentHeight(child);
  }
  return sum;
}

Element.prototype.getBoundingClientRect = function getBoundingClientRect() {
  return DOMRect.fromRect({ x: 0, y: 0, ...TEST_VIEWPORT });
};

Element.prototype.scrollTo = function scrollTo(this: Element, x?: ScrollToOptions | number, y?: number) {
  const options: ScrollToOptions = typeof x === 'object' ? x : { left: x, top: y };
  if (options.top !== undefined) this.scrollTop = options.top;
  if (options.left !== undefined) this.scrollLeft = options.left;
  this.dispatchEvent(new Event('scroll'));
};
Element.prototype.scrollIntoView = function scrollIntoView() {};

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub;

// jsdom has no matchMedia; the theme reads prefers-color-scheme.
window.matchMedia = (query: string) =>
  ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    addListener: vi.fn(),
    removeListener: vi.fn(),
    dispatchEvent: () => false,
  }) as MediaQueryList;

afterEach(() => {
  cleanup();
  clearMocks();
  toast.dismiss();
  localStorage.clear();
  window.location.hash = '';
});
