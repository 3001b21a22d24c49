module github.com/apipin/intercom/scripts/apikey

go 1.26.0
