package gpkg

import (
	"fmt"
	"math"
	"time"
)

// value is v as the SQLite value of a column of the published type typ:
// numbers of a number column as REAL even when whole, booleans as 0 and 1,
// dates as "YYYY-MM-DD" text, nil as NULL.
func value(v any, typ string) (any, error) {
	switch v := v.(type) {
	case nil, string:
		return v, nil
	case int64:
		if typ == "number" {
			return float64(v), nil
		}
		return v, nil
	case int:
		return value(int64(v), typ)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: %v", ErrValue, v)
		}
		return v, nil
	case bool:
		if v {
			return int64(1), nil
		}
		return int64(0), nil
	case time.Time:
		return v.Format(time.DateOnly), nil
	}
	return nil, fmt.Errorf("%w: type %T", ErrValue, v)
}
