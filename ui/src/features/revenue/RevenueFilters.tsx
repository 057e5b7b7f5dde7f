import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useRef, useState } from 'react';
import type { Grain } from '../../bindings';
import { DateRangeInputs } from '../../components/DateRangeInputs';
import { CheckIcon, ChevronDownIcon } from '../../components/icons';
import { controlClasses } from '../../components/Input';
import { Select } from '../../components/Select';
import { cn } from '../../lib/cn';
import { GRAIN_LABELS, GRAINS, type RevenueParams } from './useRevenue';

export const REPORT_CURRENCIES = ['USD', 'EUR'];

/** 'Group by: Month' and a menu of the grains. Test ids: `${testIdPrefix}-grain(-<grain>)`. */
function GrainMenu({
  value,
  onChange,
  testIdPrefix,
}: {
  value: Grain;
  onChange: (g: Grain) => void;
  testIdPrefix: string;
}) {
  const [open, setOpen] = useState(false);
  // Radix opens menus on pointerdown; a click without one (synthetic clicks, some automation
  // drivers) opens it too.
  const pointerDown = useRef(false);
  return (
    <DropdownMenu.Root open={open} onOpenChange={setOpen}>
      <DropdownMenu.Trigger asChild>
        <button
          type="button"
          onPointerDown={() => {
            pointerDown.current = true;
          }}
          onClick={(event) => {
            if (!pointerDown.current && event.detail > 0) setOpen(true);
            pointerDown.current = false;
          }}
          data-testid={`${testIdPrefix}-grain`}
          aria-label={`Group by: ${GRAIN_LABELS[value]}`}
          className={cn(controlClasses, 'flex w-auto items-center gap-1.5 pr-2')}
        >
          <span className="text-fg-subtle">Group by:</span>
          <span>{GRAIN_LABELS[value]}</span>
          <ChevronDownIcon className="text-fg-subtle" />
        </button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={4}
          className="z-50 min-w-40 rounded-lg border border-line bg-surface p-1 text-fg shadow-popover motion-safe:animate-fade-in"
        >
          <DropdownMenu.RadioGroup value={value} onValueChange={(v) => onChange(v as Grain)}>
            {GRAINS.map((g) => (
              <DropdownMenu.RadioItem
                key={g}
                value={g}
                data-testid={`${testIdPrefix}-grain-${g}`}
                className="flex h-8 cursor-default items-center gap-2 rounded-md px-2 text-base outline-none select-none data-[highlighted]:bg-raised"
              >
                <span className="flex size-4 items-center justify-center">
                  <DropdownMenu.ItemIndicator>
                    <CheckIcon size={14} className="text-accent-text" />
                  </DropdownMenu.ItemIndicator>
                </span>
                {GRAIN_LABELS[g]}
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

/** The currency a report is in (USD or EUR unless told). */
export function CurrencySelect({
  value,
  onChange,
  currencies = REPORT_CURRENCIES,
  'data-testid': testId,
}: {
  value: string;
  onChange: (currency: string) => void;
  currencies?: readonly string[];
  'data-testid': string;
}) {
  return (
    <Select
      aria-label="Currency"
      data-testid={testId}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      options={currencies.map((c) => ({ value: c, label: c }))}
      className="w-24"
    />
  );
}

/**
 * Date range, currency and grouping of a revenue report (or of another report over days: the
 * finance reports hide the currency or the grouping when the report does not use it). Test
 * ids start with `testIdPrefix`: `revenue-from`, `revenue-currency`, `revenue-grain`…
 */
export function RevenueFilters({
  params,
  onChange,
  problem,
  currencies = REPORT_CURRENCIES,
  testIdPrefix = 'revenue',
  showCurrency = true,
  showGrain = true,
}: {
  params: RevenueParams;
  onChange: (patch: Partial<RevenueParams>) => void;
  problem: string | null;
  currencies?: readonly string[];
  testIdPrefix?: string;
  showCurrency?: boolean;
  showGrain?: boolean;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <DateRangeInputs
        from={params.from}
        to={params.to}
        onChange={onChange}
        problem={problem}
        testIdPrefix={testIdPrefix}
      />
      {showCurrency && (
        <CurrencySelect
          value={params.currency}
          onChange={(currency) => onChange({ currency })}
          currencies={currencies}
          data-testid={`${testIdPrefix}-currency`}
        />
      )}
      {showGrain && (
        <GrainMenu
          value={params.grain}
          onChange={(grain) => onChange({ grain })}
          testIdPrefix={testIdPrefix}
        />
      )}
    </div>
  );
}
