// Command intercom calls any operation of any pinned Intercom-Version from a
// shell:
//
//	intercom [--version 2.16] <group> <command> [path arguments] [--param name=value …] [--body @file|-]
//
// Run `intercom --help`, `intercom versions` and `intercom ops` for more.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/apipin/intercom/cmd/intercom/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], cli.OSEnv())
	stop()
	os.Exit(code)
}
