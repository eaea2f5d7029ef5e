package xlsx

import (
	"bytes"
	"encoding/binary"
	"unicode/utf16"
)

// cfbMagic starts a Compound File Binary: the container of old .xls
// workbooks and of password-protected .xlsx workbooks.
var cfbMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// Sector numbers at and above this mark ends of chains and special sectors.
const cfbMaxSector = 0xfffffffa

// cfbNames returns the names of the storages and streams in the compound
// file data, in directory order, or nil when data is not a readable
// compound file. It reads just the directory, following the sector chains
// with a bound, so damaged files cannot make it loop.
func cfbNames(data []byte) []string {
	if len(data) < 512 || !bytes.HasPrefix(data, cfbMagic) {
		return nil
	}
	le := binary.LittleEndian
	shift := le.Uint16(data[0x1e:])
	if shift != 9 && shift != 12 {
		return nil
	}
	size := 1 << shift
	sector := func(n uint32) []byte {
		off := (int64(n) + 1) << shift
		if n >= cfbMaxSector || off+int64(size) > int64(len(data)) {
			return nil
		}
		return data[off : off+int64(size)]
	}
	maxSteps := len(data)/size + 1

	// The sectors of the allocation table: 109 listed in the header, the
	// rest in a chain of DIFAT sectors.
	var fat []uint32
	for i := 0; i < 109; i++ {
		if s := le.Uint32(data[0x4c+4*i:]); s < cfbMaxSector {
			fat = append(fat, s)
		}
	}
	next := le.Uint32(data[0x44:])
	for steps := 0; next < cfbMaxSector && steps < maxSteps; steps++ {
		sec := sector(next)
		if sec == nil {
			break
		}
		for i := 0; i < size/4-1; i++ {
			if s := le.Uint32(sec[4*i:]); s < cfbMaxSector {
				fat = append(fat, s)
			}
		}
		next = le.Uint32(sec[size-4:])
	}
	perSector := uint32(size / 4)
	follow := func(n uint32) uint32 {
		if int(n/perSector) >= len(fat) {
			return cfbMaxSector
		}
		sec := sector(fat[n/perSector])
		if sec == nil {
			return cfbMaxSector
		}
		return le.Uint32(sec[4*(n%perSector):])
	}

	var names []string
	dir := le.Uint32(data[0x30:])
	for steps := 0; dir < cfbMaxSector && steps < maxSteps; steps++ {
		sec := sector(dir)
		if sec == nil {
			break
		}
		for e := 0; e+128 <= size; e += 128 {
			entry := sec[e : e+128]
			n, kind := int(le.Uint16(entry[0x40:])), entry[0x42]
			if (kind != 1 && kind != 2 && kind != 5) || n < 2 || n > 64 || n%2 != 0 {
				continue
			}
			u := make([]uint16, n/2-1) // without the terminating zero
			for i := range u {
				u[i] = le.Uint16(entry[2*i:])
			}
			names = append(names, string(utf16.Decode(u)))
		}
		dir = follow(dir)
	}
	return names
}
