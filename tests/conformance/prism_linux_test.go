package conformance

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakePrism writes an executable standing in for Prism: it runs script.
func fakePrism(t *testing.T, script string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "prism")
	require.NoError(t, os.WriteFile(bin, []byte("#!/bin/sh\n"+script), 0o755))
	return bin
}

// pfExiting is the kernel's PF_EXITING process flag.
const pfExiting = 0x4

// alive reports whether pid is a process that is not ending: gone, a
// zombie (whose parent has not reaped it) and a process already exiting
// (killed, closing its files) have all ended.
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// After "pid (comm) ": state, ppid, pgrp, session, tty, tpgid, flags.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if len(fields) < 7 || fields[0] == "Z" || fields[0] == "X" {
		return false
	}
	flags, err := strconv.ParseUint(fields[6], 10, 64)
	return err == nil && flags&pfExiting == 0 && !killPending(pid)
}

// killPending reports whether a SIGKILL waits for pid to be scheduled.
func killPending(pid int) bool {
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return true // gone meanwhile
	}
	for line := range strings.Lines(string(status)) {
		name, mask, ok := strings.Cut(line, ":")
		if name != "SigPnd" && name != "ShdPnd" || !ok {
			continue
		}
		bits, err := strconv.ParseUint(strings.TrimSpace(mask), 16, 64)
		if err == nil && bits&(1<<(9-1)) != 0 {
			return true
		}
	}
	return false
}

// Prism is ready when it says it listens; when the test ends, it and
// whatever it started are killed.
func TestLaunchPrismWaitsAndKillsItsGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pids")
	// The child does not hold the output pipe: if only the fake were
	// killed, the test would see the child alive instead of hanging.
	bin := fakePrism(t, `sleep 300 >/dev/null 2>&1 & echo $$ $! > `+pidFile+`
echo "[CLI] start Prism is listening on http://127.0.0.1:0"
wait
`)
	var pids []int
	t.Run("serve", func(t *testing.T) {
		p, err := launchPrism(t, bin, "spec.json")
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(p.URL, "http://127.0.0.1:"))
		data, err := os.ReadFile(pidFile)
		require.NoError(t, err)
		for _, f := range strings.Fields(string(data)) {
			pid, err := strconv.Atoi(f)
			require.NoError(t, err)
			pids = append(pids, pid)
			assert.True(t, alive(pid), "pid %d runs while the test does", pid)
		}
	})
	require.Len(t, pids, 2)
	for _, pid := range pids {
		assert.False(t, alive(pid), "pid %d outlives the test", pid)
	}
}

// A Prism that stops before listening fails the start, with its output.
func TestLaunchPrismReportsAnEarlyExit(t *testing.T) {
	bin := fakePrism(t, "echo 'cannot read the spec: unresolved reference' >&2\nexit 3\n")
	_, err := launchPrism(t, bin, "spec.json")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "exited before listening")
	assert.Contains(t, err.Error(), "unresolved reference")
}
