package page

// Palette returns the colours of the map's classes, light to dark.
func Palette() []string { return palette[:] }
