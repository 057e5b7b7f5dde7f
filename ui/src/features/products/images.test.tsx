import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProductImage } from '../../bindings';
import { appError } from '../../test/fixtures';
import { Toaster } from '../../components/Toaster';
import { renderWithClient } from '../../test/render';
import { mockCommands } from '../../test/tauri';
import { ProductImages } from './ProductImages';

const PRODUCT = '0190e000-0000-7000-8000-000000000001';

function image(n: number, overrides: Partial<ProductImage> = {}): ProductImage {
  return {
    id: `0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    product_id: PRODUCT,
    position: n - 1,
    alt_text: `Picture ${n}`,
    width: 800,
    height: 600,
    format: 'png',
    byte_size: 1000,
    storage: 'marketplace',
    url: `local://images/${String(n).repeat(64).slice(0, 64)}.png`,
    thumbnail: 'data:image/jpeg;base64,AAAA',
    publish_error: null,
    version: 1,
    created_at: '2026-12-01T10:00:00Z',
    ...overrides,
  };
}

describe('product images', () => {
  it('uploads files one by one, says which one the core refused, and keeps the rest', async () => {
    let gallery = [image(1)];
    const { calls } = mockCommands({
      product_images: () => gallery,
      add_product_image: (args) => {
        const { name } = args as { name: string };
        if (name === 'notes.txt')
          return appError('invalid', 'notes.txt is not a JPEG, PNG, WebP or GIF image');
        gallery = [...gallery, image(gallery.length + 1, { alt_text: '' })];
        return gallery.at(-1);
      },
    });
    const user = userEvent.setup({ applyAccept: false });
    renderWithClient(
      <>
        <Toaster />
        <ProductImages productId={PRODUCT} />
      </>,
    );
    expect(await screen.findAllByTestId('product-image')).toHaveLength(1);
    await user.upload(screen.getByTestId('image-file'), [
      new File(['png bytes'], 'front.png', { type: 'image/png' }),
      new File(['text'], 'notes.txt', { type: 'text/plain' }),
    ]);
    await waitFor(() => expect(screen.getAllByTestId('product-image')).toHaveLength(2));
    expect(await screen.findByText('notes.txt is not a JPEG, PNG, WebP or GIF image')).toBeInTheDocument();
    const sent = calls
      .filter((c) => c.cmd === 'add_product_image')
      .map((c) => c.args as { name: string; content: string });
    expect(sent.map((s) => s.name)).toEqual(['front.png', 'notes.txt']);
    expect(atob(sent[0]!.content)).toBe('png bytes');
  });

  it('moves an image by keyboard and saves alt text on Enter', async () => {
    const gallery = [image(1), image(2)];
    const { calls } = mockCommands({
      product_images: () => gallery,
      reorder_product_images: (args) => {
        const { order } = args as { order: string[] };
        return order.map((id, i) => ({ ...gallery.find((g) => g.id === id)!, position: i }));
      },
      set_product_image_alt: (args) => ({
        ...gallery[0]!,
        alt_text: (args as { alt: string }).alt,
        version: 2,
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<ProductImages productId={PRODUCT} />);
    const later = await screen.findByRole('button', { name: 'Move image 2 earlier' });
    later.focus();
    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'reorder_product_images')?.args).toMatchObject({
        order: [gallery[1]!.id, gallery[0]!.id],
      }),
    );
    const cards = await screen.findAllByTestId('product-image');
    await waitFor(() => expect(within(cards[0]!).getByText('Main')).toBeInTheDocument());
    const alt = screen.getByRole('textbox', { name: 'Alt text of image 2' });
    await user.clear(alt);
    await user.type(alt, 'Side view{Enter}');
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === 'set_product_image_alt')?.args).toMatchObject({
        alt: 'Side view',
        version: 1,
      }),
    );
  });

  it('says so when a product has no images yet', async () => {
    mockCommands({ product_images: () => [] });
    renderWithClient(<ProductImages productId={PRODUCT} />);
    expect(await screen.findByText(/No images yet/)).toBeInTheDocument();
  });
});
