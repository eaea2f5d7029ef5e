package pipeline

// Load64 is binary.LittleEndian.Uint64 of the first eight bytes of s,
// without a conversion of s to a byte slice: it compiles to one load. The
// encoders and the caster test texts eight bytes at a time with it.
func Load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// Load32 is Load64 of four bytes.
func Load32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}
