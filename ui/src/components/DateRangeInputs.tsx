import type { DateRange } from '../lib/dates';
import { DateInput } from './DateInput';

/**
 * A From/to pair of date inputs with the range's problem, if any, as an alert beside them.
 * The inputs' test ids are `${testIdPrefix}-from` and `${testIdPrefix}-to`.
 */
export function DateRangeInputs({
  from,
  to,
  onChange,
  problem,
  testIdPrefix,
}: DateRange & {
  onChange: (patch: Partial<DateRange>) => void;
  /** Why the range cannot be used ('The start date is after the end date.'), or null. */
  problem: string | null;
  testIdPrefix: string;
}) {
  const invalid = problem !== null;
  return (
    <>
      <DateInput
        label="From"
        data-testid={`${testIdPrefix}-from`}
        value={from}
        max={to || undefined}
        invalid={invalid}
        onChange={(value) => onChange({ from: value })}
      />
      <DateInput
        label="to"
        data-testid={`${testIdPrefix}-to`}
        value={to}
        min={from || undefined}
        invalid={invalid}
        onChange={(value) => onChange({ to: value })}
      />
      {problem && (
        <p role="alert" className="text-sm text-danger-text">
          {problem}
        </p>
      )}
    </>
  );
}
