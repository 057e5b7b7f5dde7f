import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Card, CardBody, CardHeader } from '../components/Card';
import { formatMoney, formatMoneyCompact } from '../lib/format';

const revenue = Array.from({ length: 14 }, (_, i) => ({
  day: `May ${i + 1}`,
  amount_minor: 1_800_000 + ((i * 7919) % 11) * 210_000 + (i % 7 === 5 ? -900_000 : 0),
}));

/** Loaded on demand: recharts is the largest dependency. */
export default function ChartsDemo() {
  return (
    <Card className="max-w-4xl">
      <CardHeader title="Gross merchandise value" description="Last 14 days, USD" />
      <CardBody className="h-80 text-fg-subtle">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={revenue} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
            <CartesianGrid vertical={false} stroke="var(--color-line)" />
            <XAxis
              dataKey="day"
              tickLine={false}
              axisLine={false}
              tick={{ fill: 'currentColor', fontSize: 11 }}
            />
            <YAxis
              tickLine={false}
              axisLine={false}
              width={56}
              tick={{ fill: 'currentColor', fontSize: 11 }}
              tickFormatter={(v: number) => formatMoneyCompact(v, 'USD')}
            />
            <Tooltip
              cursor={{ fill: 'var(--color-raised)' }}
              formatter={(v) => formatMoney(Number(v), 'USD')}
              contentStyle={{
                background: 'var(--color-surface)',
                border: '1px solid var(--color-line)',
                borderRadius: 6,
                color: 'var(--color-fg)',
              }}
            />
            <Bar
              dataKey="amount_minor"
              name="GMV"
              fill="var(--color-accent)"
              radius={[3, 3, 0, 0]}
              maxBarSize={36}
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </CardBody>
    </Card>
  );
}
