package gpkg

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// inserter inserts rows into a table, many rows per statement: a statement
// of many rows pays the driver's round trip, and SQLite's set-up and
// AUTOINCREMENT bookkeeping, once for all of them.
type inserter struct {
	tx *sql.Tx
	// insert is the statement up to VALUES: INSERT INTO table (columns).
	insert string
	// cols is the number of values of a row, rows the number of rows of
	// a full statement.
	cols, rows int
	// full is the statement of rows rows, prepared on first use.
	full *sql.Stmt
}

// newInserter returns an inserter of rows of cols values, rows at a time.
// SQLite takes up to 32766 parameters per statement; rows is lowered to
// keep within that.
func newInserter(tx *sql.Tx, insert string, cols, rows int) *inserter {
	const maxParams = 32766
	return &inserter{tx: tx, insert: insert, cols: cols, rows: max(1, min(rows, maxParams/cols))}
}

// exec inserts the rows whose values are args, in order, cols values per
// row.
func (in *inserter) exec(ctx context.Context, args []any) error {
	for len(args) > 0 {
		n := min(len(args)/in.cols, in.rows)
		// The last statement of fewer rows is prepared for once.
		stmt, once := in.full, n < in.rows
		if stmt == nil || once {
			var err error
			if stmt, err = in.tx.PrepareContext(ctx, in.statement(n)); err != nil {
				return fmt.Errorf("%s: %w", in.insert, err)
			}
			if !once {
				in.full = stmt
			}
		}
		_, err := stmt.ExecContext(ctx, args[:n*in.cols]...)
		if once {
			stmt.Close()
		}
		if err != nil {
			return fmt.Errorf("%s: %w", in.insert, err)
		}
		args = args[n*in.cols:]
	}
	return nil
}

// statement is the insert of n rows.
func (in *inserter) statement(n int) string {
	row := "(" + strings.Repeat("?, ", in.cols-1) + "?)"
	return in.insert + " VALUES " + strings.Repeat(row+", ", n-1) + row
}

// close releases the prepared statement.
func (in *inserter) close() {
	if in.full != nil {
		in.full.Close()
		in.full = nil
	}
}
