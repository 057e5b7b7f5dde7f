import { screen } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';

/** Opens the products screen's "Whole list" menu by keyboard, as Radix menus open in jsdom. */
export async function openMenu(user: UserEvent): Promise<void> {
  (await screen.findByTestId('catalog-menu')).focus();
  await user.keyboard('{Enter}');
}
