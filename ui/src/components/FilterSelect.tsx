import { Select, type SelectProps } from './Select';

export type FilterSelectProps<V extends string> = Omit<
  SelectProps,
  'options' | 'value' | 'onChange' | 'aria-label'
> & {
  /** The accessible name ('Status'). */
  label: string;
  /** The choices, in order; '' (the placeholder) means any. */
  values: readonly V[];
  /** Their labels (the value itself without). */
  labels?: Record<V, string>;
  value: V | '';
  onValueChange: (value: V | '') => void;
};

/** A single-choice filter above a list: a native select over a fixed set of values. */
export function FilterSelect<V extends string>({
  label,
  values,
  labels,
  value,
  onValueChange,
  ...props
}: FilterSelectProps<V>) {
  return (
    <Select
      aria-label={label}
      value={value}
      onChange={(e) => onValueChange(e.target.value as V | '')}
      options={values.map((v) => ({ value: v, label: labels ? labels[v] : v }))}
      {...props}
    />
  );
}
