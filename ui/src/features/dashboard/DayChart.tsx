import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { DayPoint } from '../../bindings';
import { formatMoney, formatMoneyCompact } from '../../lib/format';
import {
  AXIS_TICK,
  LEGEND_STYLE,
  TOOLTIP_CONTENT_STYLE,
  TOOLTIP_LABEL_STYLE,
} from '../../components/chartTheme';

/**
 * Revenue per day beside the same day of the previous period. Display only:
 * the cards and the rows behind them have the exact amounts.
 */
export function DayChart({
  days,
  previous,
  currency,
}: {
  days: readonly DayPoint[];
  previous: readonly DayPoint[];
  currency: string;
}) {
  const data = days.map((d, i) => ({
    day: d.day.slice(5),
    revenue: d.revenue_minor,
    before: previous[i]?.revenue_minor ?? 0,
  }));
  return (
    <div
      className="h-72 text-fg-subtle"
      role="img"
      aria-label={`Revenue by day beside the period before, ${currency}`}
    >
      <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 800, height: 288 }}>
        <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid vertical={false} stroke="var(--color-line)" />
          <XAxis dataKey="day" tickLine={false} axisLine={false} minTickGap={16} tick={AXIS_TICK} />
          <YAxis
            yAxisId="money"
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
            yAxisId="money"
            dataKey="revenue"
            name="Revenue"
            fill="var(--color-accent)"
            radius={[3, 3, 0, 0]}
            maxBarSize={24}
            isAnimationActive={false}
          />
          <Line
            yAxisId="money"
            dataKey="before"
            name="Previous period"
            stroke="var(--color-fg-subtle)"
            strokeDasharray="4 3"
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
