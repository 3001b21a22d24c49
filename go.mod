module github.com/apipin/intercom

go 1.25.0

require (
	github.com/apapsch/go-jsonmerge/v2 v2.0.0
	github.com/google/uuid v1.6.0
	go.uber.org/goleak v1.3.0
)

require github.com/stretchr/testify v1.11.1 // indirect
