import type { ReactNode } from 'react';
import { ChevronDownIcon, SignOutIcon } from '../components/icons';
import { Menu, MenuItem, MenuLabel, MenuSeparator } from '../components/Menu';

export type UserMenuProps = {
  /** The signed-in person's name (or email). */
  name: string;
  /** A second line: email, role, server. */
  detail?: string;
  onSignOut: () => void;
  /** Extra MenuItems above 'Sign out'. */
  children?: ReactNode;
};

function initials(name: string): string {
  const parts = name.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts[1]?.[0] ?? '')).toUpperCase() || '?';
}

/** The top bar's account menu with Sign out. */
export function UserMenu({ name, detail, onSignOut, children }: UserMenuProps) {
  return (
    <Menu
      trigger={
        <button
          type="button"
          aria-label={`Account: ${name}`}
          className="flex h-8 items-center gap-2 rounded-md px-1.5 text-base text-fg-muted hover:bg-raised hover:text-fg"
        >
          <span
            aria-hidden="true"
            className="flex size-6 items-center justify-center rounded-full bg-accent-soft text-xs font-semibold text-accent-text"
          >
            {initials(name)}
          </span>
          <span className="max-w-40 truncate">{name}</span>
          <ChevronDownIcon size={14} className="text-fg-subtle" />
        </button>
      }
    >
      <MenuLabel>
        <span className="block truncate font-medium text-fg">{name}</span>
        {detail && <span className="block truncate">{detail}</span>}
      </MenuLabel>
      <MenuSeparator />
      {children}
      <MenuItem icon={<SignOutIcon />} onSelect={onSignOut}>
        Sign out
      </MenuItem>
    </Menu>
  );
}
