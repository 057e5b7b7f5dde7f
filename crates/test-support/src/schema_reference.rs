//! The schema reference (`docs/schema.md`) rendered from a database the
//! migrations built: every table with its columns, types, nullability and
//! references, whether row-level security guards it and how many policies it
//! has, and a Mermaid ER diagram of the references. A test compares it with
//! the checked-in file, so the reference never lags the migrations.

use sqlx::PgPool;
use std::collections::BTreeMap;
use std::fmt::Write;

struct Column {
    name: String,
    kind: String,
    not_null: bool,
}

struct Reference {
    from: String,
    columns: Vec<String>,
    to: String,
    nullable: bool,
}

/// The reference of the schema in `pool`'s database.
pub async fn render(pool: &PgPool) -> Result<String, sqlx::Error> {
    let migration: i64 =
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations").fetch_one(pool).await?;
    let tables: Vec<(String, bool, i64)> = sqlx::query_as(
        "SELECT c.relname::text, c.relrowsecurity, \
         (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
         AND c.relname <> '_sqlx_migrations' ORDER BY c.relname",
    )
    .fetch_all(pool)
    .await?;
    let rows: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
         AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
    )
    .fetch_all(pool)
    .await?;
    let mut columns: BTreeMap<String, Vec<Column>> = BTreeMap::new();
    for (table, name, kind, not_null) in rows {
        columns.entry(table).or_default().push(Column { name, kind, not_null });
    }
    let references: Vec<(String, Vec<String>, String, bool)> = sqlx::query_as(
        "SELECT c.conrelid::regclass::text, \
         ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) \
               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i), \
         c.confrelid::regclass::text, \
         EXISTS (SELECT 1 FROM unnest(c.conkey) k(n) JOIN pg_attribute a ON a.attrelid = c.conrelid \
                 AND a.attnum = k.n WHERE NOT a.attnotnull) \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND NOT t.relispartition \
         ORDER BY 1, 2, 3",
    )
    .fetch_all(pool)
    .await?;
    let references: Vec<Reference> =
        references.into_iter().map(|(from, columns, to, nullable)| Reference { from, columns, to, nullable }).collect();

    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# Schema reference\n");
    let _ = writeln!(
        w,
        "Generated from the PostgreSQL migrations (up to {migration:04}) by the `schema_reference` test; \
         do not edit by hand: `MARKETDESK_WRITE_SCHEMA_DOC=1 cargo nextest run -p marketdesk-core -E \
         'binary(schema_reference)'` writes it again. The local SQLite copy holds the same tables and \
         columns (the `schema_parity` test). {} tables, {} references.\n",
        tables.len(),
        references.len()
    );
    let _ = writeln!(w, "## References\n\n```mermaid\nerDiagram");
    for r in &references {
        let many = if r.nullable { "|o--o{" } else { "||--o{" };
        let _ = writeln!(w, "    {} {many} {} : \"{}\"", r.to, r.from, r.columns.join(", "));
    }
    let _ = writeln!(w, "```\n\n## Tables\n");
    let _ = writeln!(w, "| Table | Columns | Row-level security | Policies |\n|---|---|---|---|");
    for (table, rls, policies) in &tables {
        let n = columns.get(table).map_or(0, Vec::len);
        let rls = if *rls { "on" } else { "off" };
        let _ = writeln!(w, "| [`{table}`](#{table}) | {n} | {rls} | {policies} |");
    }
    for (table, _, _) in &tables {
        let _ = writeln!(w, "\n### {table}\n\n| Column | Type | Null | References |\n|---|---|---|---|");
        for c in columns.get(table).into_iter().flatten() {
            let refers: Vec<String> = references
                .iter()
                .filter(|r| &r.from == table && r.columns.len() == 1 && r.columns[0] == c.name)
                .map(|r| format!("[`{}`](#{})", r.to, r.to))
                .collect();
            let null = if c.not_null { "" } else { "yes" };
            let _ = writeln!(w, "| `{}` | {} | {null} | {} |", c.name, c.kind, refers.join(", "));
        }
        for r in references.iter().filter(|r| &r.from == table && r.columns.len() > 1) {
            let _ = writeln!(w, "\n({}) references [`{}`](#{}).", r.columns.join(", "), r.to, r.to);
        }
    }
    Ok(out)
}
