import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { commands, type InboxItem } from '../../bindings';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { Card, CardBody, CardHeader } from '../../components/Card';
import { BellIcon, CheckIcon } from '../../components/icons';
import { Screen } from '../../components/Layout';
import { QueryList } from '../../components/QueryList';
import { Tabs, TabsList, TabsTrigger } from '../../components/Tabs';
import { toast } from '../../components/toast';
import { navigate } from '../../app/router';
import { routableFor } from '../../app/roleScreens';
import { cn } from '../../lib/cn';
import { formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { unwrap } from '../../lib/ipc';
import { queryKeys } from '../../lib/queryKeys';
import { useMe } from '../session/session';
import { AnnounceDialog } from './AnnounceDialog';
import { KIND_TAGS, NEEDS_ACTION, routeOf } from './notifications';
import { PreferencesCard } from './PreferencesCard';

function Item({ item, onOpen }: { item: InboxItem; onOpen: (item: InboxItem) => void }) {
  const unread = item.read_at === null;
  return (
    <li>
      <button
        type="button"
        data-testid="notification"
        data-unread={unread}
        onClick={() => onOpen(item)}
        className={cn(
          'flex w-full items-start gap-3 border-b border-line px-4 py-2.5 text-left last:border-0 hover:bg-raised',
          'focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-accent',
        )}
      >
        <span
          aria-hidden="true"
          className={cn('mt-1.5 size-2 shrink-0 rounded-full', unread ? 'bg-accent' : 'bg-transparent')}
        />
        <span className="min-w-0 flex-1">
          <span className="flex items-center gap-2">
            <span className={cn('truncate text-base', unread ? 'font-semibold text-fg' : 'text-fg-muted')}>
              {item.title}
            </span>
            <Badge tone={NEEDS_ACTION.includes(item.kind) ? 'warning' : 'neutral'}>
              {KIND_TAGS[item.kind]}
            </Badge>
          </span>
          {item.body && <span className="mt-0.5 block text-sm text-fg-subtle">{item.body}</span>}
        </span>
        <span className="shrink-0 text-sm text-fg-subtle" title={formatDateTime(item.created_at)}>
          {formatRelative(item.created_at)}
          {unread && <span className="sr-only"> (unread)</span>}
        </span>
      </button>
    </li>
  );
}

/**
 * The person's notifications, newest first, unread or all, paged by the core; opening one
 * marks it read and goes where it points. Beside them: where each kind reaches the person,
 * and for admins, announcements.
 */
export function NotificationsScreen() {
  const me = useMe();
  const client = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(true);
  const [announcing, setAnnouncing] = useState(false);
  const routable = routableFor(me.role);
  const list = useInfiniteQuery({
    queryKey: queryKeys.notificationList(unreadOnly),
    queryFn: ({ pageParam }) => unwrap(commands.notifications(unreadOnly, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const unread = list.data?.pages[0]?.unread ?? 0;
  const refresh = () => client.invalidateQueries({ queryKey: ['notifications'] });
  const readAll = useMutation({
    mutationFn: () => unwrap(commands.markAllNotificationsRead()),
    onSuccess: (n) => {
      toast.success(n === 1 ? '1 notification marked read' : `${formatNumber(n)} notifications marked read`);
      void refresh();
    },
    onError: (e) => toast.error(e.message),
  });
  const open = (item: InboxItem) => {
    const to = routeOf(item.link, routable);
    const read =
      item.read_at === null ? unwrap(commands.markNotificationsRead([item.id])) : Promise.resolve(0);
    void read.then(refresh).catch((e: unknown) => toast.error(e instanceof Error ? e.message : String(e)));
    if (to) navigate(to);
  };

  return (
    <Screen data-testid="notifications">
      <div className="grid min-h-0 flex-1 gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Card className="flex min-h-0 flex-col">
          <CardHeader
            title="Notifications"
            description={unread === 0 ? 'Nothing unread.' : `${formatNumber(unread)} unread`}
            actions={
              <>
                <Tabs
                  value={unreadOnly ? 'unread' : 'all'}
                  onValueChange={(v) => setUnreadOnly(v === 'unread')}
                >
                  <TabsList aria-label="Which notifications">
                    <TabsTrigger value="unread" data-testid="tab-unread">
                      Unread
                    </TabsTrigger>
                    <TabsTrigger value="all" data-testid="tab-all">
                      All
                    </TabsTrigger>
                  </TabsList>
                </Tabs>
                <Button
                  size="sm"
                  icon={<CheckIcon />}
                  data-testid="mark-all-read"
                  disabled={unread === 0}
                  loading={readAll.isPending}
                  onClick={() => readAll.mutate()}
                >
                  Mark all read
                </Button>
                {me.role === 'admin' && (
                  <Button
                    size="sm"
                    variant="secondary"
                    data-testid="announce"
                    onClick={() => setAnnouncing(true)}
                  >
                    Announce…
                  </Button>
                )}
              </>
            }
          />
          <CardBody className="min-h-0 flex-1 overflow-auto p-0">
            <QueryList
              query={list}
              loadingLabel="Loading notifications"
              errorTitle="Could not read your notifications"
              total={items.length}
              empty={{
                icon: <BellIcon size={20} />,
                title: unreadOnly ? 'All caught up' : 'No notifications yet',
                description: unreadOnly
                  ? 'Nothing new since you last looked.'
                  : 'What happens to your orders, products and payouts shows up here.',
              }}
            >
              <ul data-testid="notification-list">
                {items.map((n) => (
                  <Item key={n.id} item={n} onOpen={open} />
                ))}
              </ul>
              {list.hasNextPage && (
                <div className="flex justify-center p-3">
                  <Button
                    size="sm"
                    variant="secondary"
                    data-testid="more-notifications"
                    loading={list.isFetchingNextPage}
                    onClick={() => void list.fetchNextPage()}
                  >
                    Show older
                  </Button>
                </div>
              )}
            </QueryList>
          </CardBody>
        </Card>
        <PreferencesCard />
      </div>
      {announcing && <AnnounceDialog onClose={() => setAnnouncing(false)} />}
    </Screen>
  );
}
