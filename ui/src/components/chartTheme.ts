/** The app's look for recharts: tooltips, axes and legends in the theme's colours. */

/** A tooltip box in the surface colour. */
export const TOOLTIP_CONTENT_STYLE = {
  background: 'var(--color-surface)',
  border: '1px solid var(--color-line)',
  borderRadius: 6,
  color: 'var(--color-fg)',
  fontSize: 12,
} as const;

/** The tooltip's heading. */
export const TOOLTIP_LABEL_STYLE = { color: 'var(--color-fg-muted)' } as const;

/** Axis ticks in the text colour around them. */
export const AXIS_TICK = { fill: 'currentColor', fontSize: 11 } as const;

/** The legend's text size. */
export const LEGEND_STYLE = { fontSize: 12 } as const;
