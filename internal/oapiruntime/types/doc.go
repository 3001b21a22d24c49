// Package types is a copy of github.com/oapi-codegen/runtime/types v1.8.0
// (Date, Email, File, UUID; Apache License 2.0, ../LICENSE), for the reason
// given in the parent package.
package types
