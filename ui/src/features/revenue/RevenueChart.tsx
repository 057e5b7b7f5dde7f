import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RevenueRow } from '../../bindings';
import { formatMoney, formatMoneyCompact } from '../../lib/format';
import {
  AXIS_TICK,
  LEGEND_STYLE,
  TOOLTIP_CONTENT_STYLE,
  TOOLTIP_LABEL_STYLE,
} from '../../components/chartTheme';

/** Gross and commission per period. Display only: the table beside it has the exact amounts. */
export function RevenueChart({ rows, currency }: { rows: readonly RevenueRow[]; currency: string }) {
  const data = rows.map((r) => ({ period: r.period, gross: r.gross_minor, commission: r.commission_minor }));
  return (
    <div
      className="h-72 text-fg-subtle"
      role="img"
      aria-label={`Gross and commission by period, ${currency}`}
    >
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 288 }}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }} barGap={2}>
          <CartesianGrid vertical={false} stroke="var(--color-line)" />
          <XAxis dataKey="period" tickLine={false} axisLine={false} minTickGap={12} tick={AXIS_TICK} />
          <YAxis
            tickLine={false}
            axisLine={false}
            width={64}
            tick={AXIS_TICK}
            tickFormatter={(v: number) => formatMoneyCompact(Math.round(v), currency)}
          />
          <Tooltip
            cursor={{ fill: 'var(--color-raised)' }}
            formatter={(v) => formatMoney(Number(v), currency)}
            contentStyle={TOOLTIP_CONTENT_STYLE}
            labelStyle={TOOLTIP_LABEL_STYLE}
          />
          <Legend iconType="circle" iconSize={8} wrapperStyle={LEGEND_STYLE} />
          <Bar
            dataKey="gross"
            name="Gross"
            fill="var(--color-accent)"
            radius={[3, 3, 0, 0]}
            maxBarSize={32}
            isAnimationActive={false}
          />
          <Bar
            dataKey="commission"
            name="Commission"
            fill="var(--color-success)"
            radius={[3, 3, 0, 0]}
            maxBarSize={32}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
