package content

import "fmt"

// HumanBytes writes a size as people read it: "8 MiB", "1.5 MiB", "512 KiB",
// "900 bytes" (integer arithmetic; one decimal, rounded down, when not whole).
func HumanBytes(n int64) string {
	unit := func(size int64, name string) string {
		if n%size == 0 {
			return fmt.Sprintf("%d %s", n/size, name)
		}
		tenths := n * 10 / size
		return fmt.Sprintf("%d.%d %s", tenths/10, tenths%10, name)
	}
	switch {
	case n >= 1<<30:
		return unit(1<<30, "GiB")
	case n >= 1<<20:
		return unit(1<<20, "MiB")
	case n >= 1<<10:
		return unit(1<<10, "KiB")
	}
	return fmt.Sprintf("%d bytes", n)
}
