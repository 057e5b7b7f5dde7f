import { clsx, type ClassValue } from 'clsx';
import { extendTailwindMerge } from 'tailwind-merge';

// Teach tailwind-merge the project's own tokens (styles.css @theme) so that a later class
// overrides an earlier one of the same kind.
const twMerge = extendTailwindMerge({
  extend: {
    theme: {
      text: ['md'],
      animate: ['indeterminate', 'fade-in', 'pop-in', 'slide-in'],
      shadow: ['popover', 'dialog'],
    },
  },
});

/** Joins class names (clsx syntax) and resolves Tailwind conflicts, last one wins. */
export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}
