package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself uses
)

// lookupIndexSweep works around a FerretDB v1.24 SQLite backend quirk that
// turns every point read into a full table scan: a `{_id: v}` filter is
// pushed down as `WHERE _ferretdb_sjson->'$._id' = ?`, but the collection's
// unique _id index is built on `_ferretdb_sjson->"_id"`, and SQLite uses an
// expression index only for the very same expression (EXPLAIN QUERY PLAN
// says SCAN). Every interval it adds, to each collection table that lacks it,
// an index on exactly the expression FerretDB queries with, so findOne,
// updateOne and deleteOne by _id become index searches.
//
// SQLite maintains the index on every write; FerretDB neither knows nor needs
// to know it (listIndexes does not show it), and dropping a collection drops
// it with the table. Reads return the same documents either way.
func lookupIndexSweep(ctx context.Context, dir string, interval time.Duration, logger *slog.Logger) {
	databases := map[string]*sql.DB{}
	defer func() {
		for _, db := range databases {
			_ = db.Close()
		}
	}()

	ticker := time.NewTicker(interval)
	defer ticker.Stop()

	for {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			db, ok := databases[file]
			if !ok {
				var err error
				if db, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(10000)"); err != nil {
					logger.Warn("lookup index: open", slog.String("file", file), slog.Any("err", err))
					continue
				}
				db.SetMaxOpenConns(1)
				databases[file] = db
			}
			if err := indexTables(ctx, db); err != nil && ctx.Err() == nil {
				logger.Debug("lookup index: sweep", slog.String("file", file), slog.Any("err", err))
			}
		}

		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// indexTables adds the lookup index to every collection table of one database file that lacks it.
// SQLite's own schema says which (a collection dropped and created again needs it afresh).
func indexTables(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT c.table_name FROM "_ferretdb_collections" c
		WHERE NOT EXISTS (SELECT 1 FROM sqlite_master m WHERE m.type = 'index' AND m.name = c.table_name || '__id_lookup')`)
	if err != nil {
		return err // a database file FerretDB has not finished creating yet
	}
	var tables []string
	for rows.Next() {
		var table string
		if err := rows.Scan(&table); err == nil {
			tables = append(tables, table)
		}
	}
	_ = rows.Close()

	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"__id_lookup", table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}
