package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// A database file laid out as FerretDB v1.24's SQLite backend lays it out:
// its metadata table, and one table per collection holding documents as JSON.
func ferretdbFile(t *testing.T, path string, tables ...string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	mustExec(t, db, `CREATE TABLE "_ferretdb_collections" (name TEXT, table_name TEXT, settings TEXT)`)
	for _, table := range tables {
		createCollection(t, db, table)
	}
	return db
}

func createCollection(t *testing.T, db *sql.DB, table string) {
	t.Helper()
	mustExec(t, db, `CREATE TABLE "`+table+`" (_ferretdb_sjson TEXT NOT NULL)`)
	mustExec(t, db, `INSERT INTO "_ferretdb_collections" VALUES (?, ?, '{}')`, table, table)
	mustExec(t, db, `INSERT INTO "`+table+`" VALUES ('{"_id":"a"}'), ('{"_id":"b"}')`)
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// planOf is SQLite's plan for the look-up FerretDB makes for a filter {_id: v}.
func planOf(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	var id, parent, unused int
	var detail string
	err := db.QueryRow(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM "`+table+`" WHERE _ferretdb_sjson->'$._id' = ?`, `"a"`).Scan(&id, &parent, &unused, &detail)
	if err != nil {
		t.Fatal(err)
	}
	return detail
}

func TestLookupIndexTurnsIdLookupsIntoIndexSearches(t *testing.T) {
	dir := t.TempDir()
	// The same collection in two databases has the same table name in each file.
	first := ferretdbFile(t, filepath.Join(dir, "first.sqlite"), "reports_19b3cb48", "inbox_e252d53b")
	second := ferretdbFile(t, filepath.Join(dir, "second.sqlite"), "reports_19b3cb48")
	if plan := planOf(t, first, "reports_19b3cb48"); !strings.HasPrefix(plan, "SCAN") {
		t.Fatalf("without the index FerretDB's look-up should scan, got %q", plan)
	}

	ctx := context.Background()
	for _, db := range []*sql.DB{first, second} {
		if err := indexTables(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	for _, check := range []struct {
		db    *sql.DB
		table string
	}{{first, "reports_19b3cb48"}, {first, "inbox_e252d53b"}, {second, "reports_19b3cb48"}} {
		if plan := planOf(t, check.db, check.table); !strings.Contains(plan, "USING INDEX "+check.table+"__id_lookup") {
			t.Errorf("%s: want an index search, got %q", check.table, plan)
		}
	}

	// Sweeping again is harmless; a collection dropped and created again is indexed again.
	if err := indexTables(ctx, first); err != nil {
		t.Fatal(err)
	}
	mustExec(t, first, `DROP TABLE "inbox_e252d53b"`)
	mustExec(t, first, `DELETE FROM "_ferretdb_collections" WHERE table_name = 'inbox_e252d53b'`)
	createCollection(t, first, "inbox_e252d53b")
	if err := indexTables(ctx, first); err != nil {
		t.Fatal(err)
	}
	if plan := planOf(t, first, "inbox_e252d53b"); !strings.Contains(plan, "__id_lookup") {
		t.Errorf("recreated collection: want an index search, got %q", plan)
	}
	// The index changes how documents are found, not which.
	var found string
	if err := first.QueryRow(`SELECT _ferretdb_sjson FROM "inbox_e252d53b" WHERE _ferretdb_sjson->'$._id' = ?`, `"b"`).Scan(&found); err != nil || found != `{"_id":"b"}` {
		t.Errorf("look-up by _id: got %q, %v", found, err)
	}
}
