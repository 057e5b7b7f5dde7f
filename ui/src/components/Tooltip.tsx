import * as RadixTooltip from '@radix-ui/react-tooltip';
import type { ReactElement, ReactNode } from 'react';
import { Shortcut } from './Kbd';

/** Mount once near the root (AppProviders does): shares the open delay between tooltips. */
export function TooltipProvider({ children }: { children: ReactNode }) {
  return (
    <RadixTooltip.Provider delayDuration={400} skipDelayDuration={200}>
      {children}
    </RadixTooltip.Provider>
  );
}

export type TooltipProps = {
  content: ReactNode;
  /** A shortcut shown after the text: 'mod+k', 'g o'. */
  shortcut?: string;
  side?: 'top' | 'right' | 'bottom' | 'left';
  /** One focusable element (a Button...); it keeps its own accessible name. */
  children: ReactElement;
};

/** A hint on hover and keyboard focus. Never put essential information only in a tooltip. */
export function Tooltip({ content, shortcut, side = 'top', children }: TooltipProps) {
  return (
    <RadixTooltip.Root>
      <RadixTooltip.Trigger asChild>{children}</RadixTooltip.Trigger>
      <RadixTooltip.Portal>
        <RadixTooltip.Content
          side={side}
          sideOffset={6}
          className="z-[70] flex items-center gap-2 rounded-md bg-fg px-2 py-1 text-sm text-canvas shadow-popover motion-safe:animate-fade-in"
        >
          {content}
          {shortcut && <Shortcut keys={shortcut} className="opacity-80" />}
        </RadixTooltip.Content>
      </RadixTooltip.Portal>
    </RadixTooltip.Root>
  );
}
