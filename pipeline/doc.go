// Package pipeline is the domain of aktionsplan: the area register, raw tables
// with positions, the validation report, the business rules of the fund and the
// join of fund usage and key figures onto the area boundaries.
//
// The flow is Job.Run: read every input into raw rows with positions, cast them
// through the input schemas, apply the business rules, aggregate, join, and hand
// the published datasets to the encoders and the publisher. Adapters for formats
// and transports live in sources, schemas and outputs; this package declares the
// small interfaces they implement and imports none of them.
package pipeline
