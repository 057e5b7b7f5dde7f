//! A server transaction rolled back at its commit, after the change was
//! applied inside it: a check the server only makes at commit (a deferred
//! constraint trigger written here) fails once as a serialization failure and
//! always for one variant. The first is retried by the next round and lands
//! once; the second is parked with the server's words and holds up nothing;
//! neither leaves a trace of a half-applied change on the server.

use crate::{local_copy, site, sync};
use marketdesk_core::sync::Mutation;
use marketdesk_core::sync::outbox::{QueueState, list, record};
use marketdesk_core::sync::push::push;
use marketdesk_core::sync::status::status;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_rolled_back_at_commit_is_retried_or_parked_never_half_applied() {
    let mut site = site().await;
    let admin = site.person("admin@marketdesk.demo").await;
    let (_dir, local, _) = local_copy().await;
    sync(&admin, &local).await;
    let variants: Vec<Uuid> = sqlx::query_scalar("SELECT id FROM product_variants ORDER BY id LIMIT 2")
        .fetch_all(local.sqlite_pool().unwrap())
        .await
        .unwrap();
    let (open, locked) = (variants[0], variants[1]);
    // The sequence counts commits and is not rolled back with them, so the
    // first one fails and the next pass.
    for sql in [
        "CREATE SEQUENCE fault_commits".to_owned(),
        format!(
            "CREATE FUNCTION fault_at_commit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$ BEGIN \
               IF NEW.id = '{locked}' THEN \
                 RAISE EXCEPTION 'this variant is being counted: stock is locked' USING ERRCODE = '23514'; \
               END IF; \
               IF nextval('fault_commits') = 1 THEN \
                 RAISE EXCEPTION 'could not serialize access due to concurrent update' USING ERRCODE = '40001'; \
               END IF; \
               RETURN NULL; \
             END $$"
        ),
        "CREATE CONSTRAINT TRIGGER fault_at_commit AFTER UPDATE ON product_variants \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fault_at_commit()"
            .to_owned(),
    ] {
        sqlx::query(&sql).execute(&mut site.owner).await.unwrap();
    }
    let stock = |id: Uuid| format!("SELECT stock_on_hand::bigint FROM product_variants WHERE id = '{id}'");
    let (open_before, locked_before) = (site.scalar(&stock(open)).await, site.scalar(&stock(locked)).await);

    for m in [Mutation::stock(open, 1), Mutation::stock(locked, 5), Mutation::stock(open, 2)] {
        record(&local, admin.id, &m).await.unwrap();
    }

    // The first commit fails as a serialization failure: the round stops,
    // nothing of it is on the server, everything still waits.
    let first = push(&admin.server, &local, admin.id).await.unwrap();
    assert_eq!(first.applied, 0, "{first:?}");
    assert!(first.stopped.as_deref().is_some_and(|s| s.contains("serialize")), "{first:?}");
    assert_eq!(site.scalar(&stock(open)).await, open_before);
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 0, "rolled back with the change");
    assert_eq!(status(&local).await.unwrap().pending, 3);

    // The next round: the retried change lands once, the locked variant's is
    // parked with the server's words, the change after it goes on.
    let second = push(&admin.server, &local, admin.id).await.unwrap();
    assert_eq!((second.applied, second.parked, second.stopped.as_deref()), (2, 1, None), "{second:?}");
    assert_eq!(site.scalar(&stock(open)).await, open_before + 3);
    assert_eq!(site.scalar(&stock(locked)).await, locked_before, "nothing half-applied");
    assert_eq!(site.scalar("SELECT count(*) FROM sync_applied_mutations").await, 2);
    let parked: Vec<_> =
        list(&local, false, 10).await.unwrap().into_iter().filter(|q| q.state == QueueState::Parked).collect();
    assert_eq!(parked.len(), 1);
    assert!(parked[0].last_error.as_deref().is_some_and(|e| e.contains("being counted")), "{:?}", parked[0]);
    let s = status(&local).await.unwrap();
    assert_eq!((s.pending, s.parked), (0, 1));
    // The copy takes the server's stock back for the refused change.
    let on_copy: i64 = sqlx::query_scalar("SELECT stock_on_hand FROM product_variants WHERE id = $1")
        .bind(locked)
        .fetch_one(local.sqlite_pool().unwrap())
        .await
        .unwrap();
    assert_eq!(on_copy, locked_before);
}
