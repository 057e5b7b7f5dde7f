import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import type { ComponentProps, ReactElement, ReactNode } from 'react';
import { cn } from '../lib/cn';

export type MenuProps = {
  /** The button that opens the menu. */
  trigger: ReactElement;
  align?: 'start' | 'center' | 'end';
  side?: 'top' | 'right' | 'bottom' | 'left';
  children: ReactNode;
};

/** A dropdown menu (arrow keys, type-ahead, Esc). Items: MenuItem, MenuLabel, MenuSeparator. */
export function Menu({ trigger, align = 'end', side = 'bottom', children }: MenuProps) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>{trigger}</DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align={align}
          side={side}
          sideOffset={6}
          className="z-50 min-w-48 rounded-lg border border-line bg-surface p-1 text-fg shadow-popover motion-safe:animate-fade-in"
        >
          {children}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export function MenuItem({
  className,
  icon,
  danger,
  children,
  ...props
}: ComponentProps<typeof DropdownMenu.Item> & { icon?: ReactNode; danger?: boolean }) {
  return (
    <DropdownMenu.Item
      className={cn(
        'flex h-8 cursor-default items-center gap-2 rounded-md px-2 text-base outline-none select-none',
        'data-[disabled]:opacity-50 data-[highlighted]:bg-raised',
        danger ? 'text-danger-text' : 'text-fg',
        className,
      )}
      {...props}
    >
      {icon && <span className="text-fg-subtle">{icon}</span>}
      {children}
    </DropdownMenu.Item>
  );
}

export function MenuLabel({ className, ...props }: ComponentProps<typeof DropdownMenu.Label>) {
  return <DropdownMenu.Label className={cn('px-2 py-1.5 text-sm text-fg-subtle', className)} {...props} />;
}

export function MenuSeparator() {
  return <DropdownMenu.Separator className="-mx-1 my-1 h-px bg-line" />;
}
