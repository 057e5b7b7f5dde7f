import { EMPTY } from '../lib/format';

const tones = { danger: 'text-danger-text', warning: 'text-warning' } as const;

/**
 * A grid cell with why something failed: the reason in the tone's colour (whole in its
 * tooltip, as the cell may cut it), or a faint dash when there is none.
 */
export function ReasonCell({
  reason,
  tone = 'danger',
}: {
  reason: string | null | undefined;
  tone?: keyof typeof tones;
}) {
  return reason ? (
    <span title={reason} className={tones[tone]}>
      {reason}
    </span>
  ) : (
    <span className="text-fg-faint">{EMPTY}</span>
  );
}
