import type { SVGProps } from 'react';

/** A small set of 16px stroke icons (no icon font, no network). Decorative by default. */
type IconProps = SVGProps<SVGSVGElement> & { size?: number };

function Icon({ size = 16, children, ...props }: IconProps) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {children}
    </svg>
  );
}

export const SunIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="3" />
    <path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" />
  </Icon>
);
export const MoonIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M13.5 9.5A5.5 5.5 0 0 1 6.5 2.5a5.5 5.5 0 1 0 7 7Z" />
  </Icon>
);
export const MonitorIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.75" y="2.5" width="12.5" height="8.5" rx="1.25" />
    <path d="M5.5 14h5M8 11v3" />
  </Icon>
);
export const ChevronDownIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="m4 6 4 4 4-4" />
  </Icon>
);
export const ArrowUpIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 13V3M4 7l4-4 4 4" />
  </Icon>
);
export const ArrowDownIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 3v10M4 9l4 4 4-4" />
  </Icon>
);
export const SortIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="m5 6 3-3 3 3M5 10l3 3 3-3" />
  </Icon>
);
export const CloseIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="m4 4 8 8M12 4l-8 8" />
  </Icon>
);
export const CheckCircleIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="m5.5 8.25 1.75 1.75 3.25-3.5" />
  </Icon>
);
export const AlertCircleIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 4.75v3.75M8 11h.01" />
  </Icon>
);
export const InfoIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="8" cy="8" r="6.25" />
    <path d="M8 7.25V11M8 5h.01" />
  </Icon>
);
export const InboxIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M1.75 9.5h3.5l1 1.75h3.5l1-1.75h3.5" />
    <path d="M3.5 3h9l1.75 6.5v3.25c0 .4-.35.75-.75.75h-11c-.4 0-.75-.35-.75-.75V9.5Z" />
  </Icon>
);
export const RefreshIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M13.5 2.5v3h-3" />
  </Icon>
);
export const SignOutIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M6 2.5H3.25c-.4 0-.75.35-.75.75v9.5c0 .4.35.75.75.75H6M10.5 11 13.5 8l-3-3M13.25 8H6" />
  </Icon>
);
export const LockIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="3" y="7" width="10" height="7" rx="1.25" />
    <path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2" />
  </Icon>
);
export const SearchIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="7" cy="7" r="4.5" />
    <path d="m10.5 10.5 3 3" />
  </Icon>
);
export const OrdersIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3 2.5h10v11H3zM5.5 5.5h5M5.5 8h5M5.5 10.5h3" />
  </Icon>
);
export const ChartIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.5 13.5h11M4.5 11V8M8 11V4.5M11.5 11V6.5" />
  </Icon>
);
export const GridIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="2.5" y="2.5" width="4.5" height="4.5" rx="1" />
    <rect x="9" y="2.5" width="4.5" height="4.5" rx="1" />
    <rect x="2.5" y="9" width="4.5" height="4.5" rx="1" />
    <rect x="9" y="9" width="4.5" height="4.5" rx="1" />
  </Icon>
);
export const CheckIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="m3.5 8.5 3 3 6-7" />
  </Icon>
);
export const PlusIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 3v10M3 8h10" />
  </Icon>
);
export const StarIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 2.2l1.8 3.7 4 .6-2.9 2.8.7 4-3.6-1.9-3.6 1.9.7-4L2.2 6.5l4-.6z" />
  </Icon>
);
export const MinusIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3 8h10" />
  </Icon>
);
export const BoxIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.5 5 8 2.5 13.5 5v6L8 13.5 2.5 11Z" />
    <path d="M2.5 5 8 7.5 13.5 5M8 7.5v6" />
  </Icon>
);
export const TruckIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M1.75 4h7.5v6.5h-7.5zM9.25 6.5h2.75l2.25 2.25v1.75h-5" />
    <circle cx="4.5" cy="11.75" r="1.25" />
    <circle cx="11.5" cy="11.75" r="1.25" />
  </Icon>
);
export const PrinterIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4.5 6V2.5h7V6" />
    <rect x="2" y="6" width="12" height="5.5" rx="1" />
    <path d="M4.5 9.5h7v4h-7z" />
  </Icon>
);
export const ScanIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2 5V2.5h2.5M11.5 2.5H14V5M14 11v2.5h-2.5M4.5 13.5H2V11" />
    <path d="M5 5v6M7 5v6M9.5 5v6M11 5v6" />
  </Icon>
);

export const InboxCheckIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="2.5" y="2.5" width="11" height="11" rx="2" />
    <path d="m5.5 8 1.75 1.75L10.5 6.25" />
  </Icon>
);
export const UsersIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="6" cy="5.5" r="2.25" />
    <path d="M2 13c.4-2.2 2-3.5 4-3.5s3.6 1.3 4 3.5M10.5 3.5a2.25 2.25 0 0 1 0 4.25M12 9.75c1 .5 1.75 1.6 2 3.25" />
  </Icon>
);
/** A contact card: a person's record. */
export const ContactsIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="2" y="2.5" width="12" height="11" rx="1.5" />
    <circle cx="6.5" cy="7" r="1.75" />
    <path d="M3.75 11.25c.5-1.25 1.5-2 2.75-2s2.25.75 2.75 2M10.5 6h2M10.5 8.5h2" />
  </Icon>
);

export const FlagIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M3.5 14V2.5M3.5 3h8l-1.5 3 1.5 3h-8" />
  </Icon>
);
export const WalletIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.5 4.5h10c.55 0 1 .45 1 1v7c0 .55-.45 1-1 1h-9.5c-.3 0-.5-.2-.5-.5Z" />
    <path d="M2.5 4.5 10 2.5v2M10.5 9h.01" />
  </Icon>
);
export const CoinsIcon = (p: IconProps) => (
  <Icon {...p}>
    <ellipse cx="6.5" cy="5" rx="4" ry="2" />
    <path d="M2.5 5v3c0 1.1 1.8 2 4 2s4-.9 4-2V5" />
    <path d="M5.5 11.75c.6.2 1.3.25 2 .25 2.2 0 4-.9 4-2M9.5 7.2c2.3.1 4 .9 4 1.8v3c0 1.1-1.8 2-4 2-1.3 0-2.4-.3-3.2-.8" />
  </Icon>
);
export const CardIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.75" y="3.5" width="12.5" height="9" rx="1.25" />
    <path d="M1.75 6.5h12.5M4.5 10h2.5" />
  </Icon>
);
export const SettingsIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.5 4.5h6M11.5 4.5h2M2.5 11.5h2M7.5 11.5h6" />
    <circle cx="10" cy="4.5" r="1.5" />
    <circle cx="6" cy="11.5" r="1.5" />
  </Icon>
);
/** A clock with a backward arrow: history, the audit trail. */
export const HistoryIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.5 8a5.5 5.5 0 1 0 1.6-3.9L2.5 5.7" />
    <path d="M2.5 2.75v2.95h2.95M8 5v3l2 1.5" />
  </Icon>
);
export const MailIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="1.75" y="3.25" width="12.5" height="9.5" rx="1.25" />
    <path d="m2.25 4 5.75 4.5L13.75 4" />
  </Icon>
);
/** An open book with ruled lines: the ledger. */
export const LedgerIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 4.25C6.75 3.25 4.75 2.75 2.25 2.75v9.5c2.5 0 4.5.5 5.75 1.5 1.25-1 3.25-1.5 5.75-1.5v-9.5c-2.5 0-4.5.5-5.75 1.5Z" />
    <path d="M8 4.25v9.5M4.25 6h2M4.25 8.5h2M9.75 6h2M9.75 8.5h2" />
  </Icon>
);
/** A table with a header row and a column: tabular reports. */
export const TableIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="2" y="2.75" width="12" height="10.5" rx="1.25" />
    <path d="M2 6.25h12M2 9.75h12M6.25 6.25v7" />
  </Icon>
);
/** A calendar page: dates and ranges. */
export const CalendarIcon = (p: IconProps) => (
  <Icon {...p}>
    <rect x="2.25" y="3.25" width="11.5" height="10.5" rx="1.25" />
    <path d="M2.25 6.5h11.5M5.25 2v2.5M10.75 2v2.5" />
  </Icon>
);

export const KeyIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="5" cy="10.5" r="2.75" />
    <path d="M7 8.5l6-6M11 4.5l1.75 1.75M9.5 6l1.25 1.25" />
  </Icon>
);

export const UserPlusIcon = (p: IconProps) => (
  <Icon {...p}>
    <circle cx="6.5" cy="5" r="2.5" />
    <path d="M1.75 13.5c.5-2.5 2.4-4 4.75-4s4.25 1.5 4.75 4M13 5.5v4M11 7.5h4" />
  </Icon>
);
/** A bell: notifications. */
export const BellIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M4 6.5a4 4 0 0 1 8 0c0 3 1.25 4.25 1.75 4.75H2.25C2.75 10.75 4 9.5 4 6.5Z" />
    <path d="M6.5 13.25a1.6 1.6 0 0 0 3 0" />
  </Icon>
);
export const StoreIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M2.5 6.5L3.5 2.5h9l1 4M2.5 6.5h11M2.5 6.5c0 1.1.9 1.8 1.8 1.8S6 7.6 6 6.5c0 1.1.9 1.8 2 1.8s2-.7 2-1.8c0 1.1.8 1.8 1.7 1.8s1.8-.7 1.8-1.8M3.5 8.2v5.3h9V8.2M6.5 13.5v-3h3v3" />
  </Icon>
);
