package schemas

import (
	"fmt"
	"strconv"
)

// valueSet remembers the values of a unique field (or the keys of a
// composite primary key) with the row of their first occurrence.
//
// A ledger of a million rows would keep a million strings alive for the
// whole read if the set held the values themselves (about 70 MB), so it keeps
// a 64-bit FNV-1a hash of each value instead. Two different values share a
// hash with a probability of about n²/2⁶⁵, that is 3·10⁻⁸ for a million
// rows; only then would a value be reported as a duplicate of a row that
// holds another value. The check runs while the rows stream past, so a
// second pass to confirm a hit is not possible; the risk is accepted as far
// below that of any other error in a ledger.
//
// The set is a table of its own rather than a Go map: nearly every value
// of a unique column is new, and a map would look for it and then insert
// it, two searches of a table far larger than the processor's caches where
// one suffices. A slot holds the hash and the line in 12 bytes, so that one
// memory access finds both, and the table is at most three quarters full.
type valueSet struct {
	slots []valueSlot // a power of two of them, or none
	n     int         // slots in use
	shift uint        // 64 minus log2(len(slots)): a hash's slot is its top bits
}

// valueSlot is one hash and the line of its first occurrence; a hash of 0
// marks an empty slot (the one value that hashes to 0 is counted as 1).
type valueSlot struct {
	lo, hi, line uint32
}

// add records the value k read in line and reports the line of its first
// occurrence when it was seen before.
func (s *valueSet) add(k string, line int) (first int, dup bool) {
	return s.addHash(hashString(k), line)
}

// addHash is add for a value already hashed by hashString.
func (s *valueSet) addHash(h uint64, line int) (first int, dup bool) {
	if h == 0 {
		h = 1
	}
	if s.n >= len(s.slots)/4*3 {
		s.grow()
	}
	lo, hi := uint32(h), uint32(h>>32)
	mask := len(s.slots) - 1
	for i := s.slot(h); ; i = (i + 1) & mask {
		sl := &s.slots[i]
		switch {
		case sl.lo == lo && sl.hi == hi:
			return int(sl.line), true
		case sl.lo == 0 && sl.hi == 0:
			// Only a table far beyond the default [limits] max_rows of
			// two million has lines past 4·10⁹, which the first
			// occurrence would name wrongly.
			*sl = valueSlot{lo, hi, uint32(line)}
			s.n++
			return 0, false
		}
	}
}

// slot is where the search for hash h starts. FNV-1a mixes the last bytes
// of a value into the low bits of its hash poorly (they depend on the low
// bits of the bytes only), so the slot comes from the top bits of the hash
// multiplied by the golden ratio.
func (s *valueSet) slot(h uint64) int {
	return int((h * 0x9E3779B97F4A7C15) >> s.shift)
}

// grow doubles the table and moves every hash into it.
func (s *valueSet) grow() {
	old := s.slots
	size := max(2*len(old), 1024)
	s.slots = make([]valueSlot, size)
	s.shift = 64
	for n := size; n > 1; n >>= 1 {
		s.shift--
	}
	mask := size - 1
	for _, sl := range old {
		if sl.lo == 0 && sl.hi == 0 {
			continue
		}
		h := uint64(sl.hi)<<32 | uint64(sl.lo)
		i := s.slot(h)
		for s.slots[i] != (valueSlot{}) {
			i = (i + 1) & mask
		}
		s.slots[i] = sl
	}
}

// hashString is the 64-bit FNV-1a hash of k, computed without allocation.
func hashString(k string) uint64 {
	return hashAppend(offset64, k)
}

// The parameters of FNV-1a.
const (
	offset64 = 14695981039346656037
	prime64  = 1099511628211
)

// hashAppend continues the FNV-1a hash h over the bytes of k, so that a
// key made of parts hashes like the parts written one after the other.
func hashAppend[T string | []byte](h uint64, k T) uint64 {
	for i := 0; i < len(k); i++ {
		h ^= uint64(k[i])
		h *= prime64
	}
	return h
}

// valueKey is the text a cast value is compared by, as fmt.Sprint writes
// it; strings, the common case, pass without a copy.
func valueKey(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return string(appendKey(nil, v))
}

// appendKey appends the text of v, as valueKey has it, to b.
func appendKey(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		return append(b, v...)
	case int64:
		return strconv.AppendInt(b, v, 10)
	}
	return fmt.Append(b, v)
}
