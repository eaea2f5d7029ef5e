package geodesy_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"aktionsplan/pipeline/geodesy"
)

func ExampleTransverseMercator_Project() {
	utm32 := geodesy.UTM(32) // EPSG:25832
	p := utm32.Project(orb.Point{7.4653, 51.5136})
	fmt.Printf("%.2f %.2f\n", p[0], p[1])
	q := utm32.LonLat(p)
	fmt.Printf("%.7f %.7f\n", q[0], q[1])
	// Output:
	// 393506.84 5708058.19
	// 7.4653000 51.5136000
}
