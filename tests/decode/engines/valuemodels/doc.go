// Package valuemodels holds the 2.16 models generated with values for
// optional fields (see ../genvalues); models.gen.go is not committed.
package valuemodels

//go:generate go run ../genvalues models.gen.go
