package schemas

import "fmt"

// valueSet remembers the values of a unique field (or the keys of a
// composite primary key) with the row of their first occurrence.
//
// A ledger of a million rows would keep a million strings alive for the
// whole read if the set held the values themselves (about 70 MB), so it keeps
// a 64-bit FNV-1a hash of each value instead: 12 bytes of map entry per row.
// Two different values share a hash with a probability of about n²/2⁶⁵, that
// is 3·10⁻⁸ for a million rows; only then would a value be reported as a
// duplicate of a row that holds another value. The check runs while the rows
// stream past, so a second pass to confirm a hit is not possible; the risk is
// accepted as far below that of any other error in a ledger.
type valueSet map[uint64]uint32

// add records the value k read in line and reports the line of its first
// occurrence when it was seen before.
func (s valueSet) add(k string, line int) (first int, dup bool) {
	h := hashString(k)
	if first, dup := s[h]; dup {
		return int(first), true
	}
	// Only a table far beyond the default [limits] max_rows of two million
	// has lines past 4·10⁹, which the first occurrence would name wrongly.
	s[h] = uint32(line)
	return 0, false
}

// hashString is the 64-bit FNV-1a hash of k, computed without allocation.
func hashString(k string) uint64 {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(k); i++ {
		h ^= uint64(k[i])
		h *= prime
	}
	return h
}

// valueKey is the text a cast value is compared by, as fmt.Sprint writes
// it; strings, the common case, pass without a copy.
func valueKey(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}
