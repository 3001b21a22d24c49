module example.com/behaviour

go 1.25.0

require github.com/apipin/intercom v0.0.0-00010101000000-000000000000

require (
	github.com/apapsch/go-jsonmerge/v2 v2.0.0 // indirect
	github.com/goccy/go-json v0.12.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
)

replace github.com/apipin/intercom => ../../../..
