package conformance

import (
	"os"
	"syscall"
)

// processGroup starts Prism in its own process group, so that killGroup
// also ends anything it forks, and has the kernel kill it if the test
// binary dies first (a timeout panic runs no cleanups).
func processGroup() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup ends the process group led by p.
func killGroup(p *os.Process) {
	_ = syscall.Kill(-p.Pid, syscall.SIGKILL)
}
