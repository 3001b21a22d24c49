package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// serve runs the command until the returned stop is called.
func serve(t *testing.T, args ...string) (base string, stop func() (int, string)) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() { done <- run(ctx, append([]string{"-addr", addr}, args...), &out, &errOut) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "serving on") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("no start: %s %s", out.String(), errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return "http://" + addr, func() (int, string) {
		cancel()
		return <-done, out.String() + errOut.String()
	}
}

func call(t *testing.T, method, url, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer test-token")
	req.Header.Set("Intercom-Version", "2.16")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// State created over HTTP survives a restart through -state; faults given
// on the command line apply.
func TestServeSaveRestore(t *testing.T) {
	state := filepath.Join(t.TempDir(), "fake.json")
	base, stop := serve(t, "-state", state, "-fault", "GET /admins;status=503;times=1")
	if code, _ := call(t, "GET", base+"/admins", ""); code != 503 {
		t.Errorf("injected fault: status %d", code)
	}
	code, created := call(t, "POST", base+"/contacts", `{"email":"kept@fake.test"}`)
	if code != 200 {
		t.Fatalf("create: %d %v", code, created)
	}
	if code, log := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, log)
	}
	if _, err := os.Stat(state); err != nil {
		t.Fatal(err)
	}
	base, stop = serve(t, "-state", state)
	defer stop()
	code, got := call(t, "GET", base+"/contacts/"+created["id"].(string), "")
	if code != 200 || got["email"] != "kept@fake.test" {
		t.Errorf("after restart: %d %v", code, got)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-fault", "*"},
		{"-fault", "*;status=200"},
		{"-fault", ";delay=1s"},
		{"-fault", "*;colour=red"},
		{"extra"},
	} {
		var out, errOut bytes.Buffer
		if code := run(context.Background(), args, &out, &errOut); code != 2 {
			t.Errorf("%q: exit %d, want 2 (%s)", args, code, errOut.String())
		}
	}
}
