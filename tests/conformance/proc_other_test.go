//go:build !linux

package conformance

import (
	"os"
	"syscall"
)

// processGroup: elsewhere than Linux, Prism runs as a plain child.
func processGroup() *syscall.SysProcAttr { return nil }

// killGroup ends the process p (Prism forks nothing without -m).
func killGroup(p *os.Process) { _ = p.Kill() }
