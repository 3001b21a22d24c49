// Package defaultmodels holds the 2.16 models as oapi-codegen generates them
// by default (every optional field a pointer), with the prose stripped: the
// baseline of the decoding benchmarks in ../ (issue 9 compares against
// encoding/json on these types). The generator (gen/baseline.go) writes
// models.gen.go with the version packages. Nothing else may import it.
package defaultmodels
